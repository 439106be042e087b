using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Plue.Engines;

/// <summary>
/// Reads the Engine API's log stream of a service with no terminal: frames of an 8-byte header (the stream, 1 stdout or
/// 2 stderr, three zero bytes, the length as a big-endian 32-bit number) and that many bytes, each a log message that
/// begins with its time stamp (<c>timestamps=1</c>). Hands out whole lines: the engine cuts a line longer than 16 KB
/// into several messages with the same time stamp, and a header or a character may be split across reads.
/// </summary>
internal sealed class ServiceLogReader(Stream stream)
{
    /// <summary>A line is given out at this length even with no newline yet, so a job cannot make the reader hold all it writes.</summary>
    private const int LongestLine = 8 * 1024 * 1024;

    private readonly byte[] _header = new byte[8];
    private readonly MemoryStream[] _pending = [new(), new()];
    private readonly DateTimeOffset[] _pendingTime = new DateTimeOffset[2];
    private readonly DateTimeOffset[] _lastTime = new DateTimeOffset[2];
    private readonly Queue<ServiceLogLine> _ready = new();
    private bool _ended;

    /// <summary>
    /// The next whole line; at the end of the stream the text left with no newline after it, as a line; null once the
    /// stream has ended and nothing is left.
    /// </summary>
    public async Task<ServiceLogLine?> NextAsync(CancellationToken cancellationToken)
    {
        while (_ready.Count == 0 && !_ended)
        {
            if (!await FillAsync(_header, cancellationToken).ConfigureAwait(false))
            {
                End();
                break;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
            var payload = new byte[length];
            if (!await FillAsync(payload, cancellationToken).ConfigureAwait(false))
            {
                End();
                break;
            }
            Take(_header[0] == 2 ? 1 : 0, payload);
        }
        return _ready.Count > 0 ? _ready.Dequeue() : null;
    }

    /// <summary>Fills <paramref name="buffer"/> from the stream; false when it ends first.</summary>
    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) return false;
            filled += read;
        }
        return true;
    }

    /// <summary>One message: its time stamp, then its text added to what its stream has not ended with a newline yet.</summary>
    private void Take(int which, byte[] message)
    {
        var space = Array.IndexOf(message, (byte)' ');
        var text = message.AsSpan();
        if (space > 0 && TryParseTime(Encoding.ASCII.GetString(message, 0, space), out var time))
        {
            text = text[(space + 1)..];
            _lastTime[which] = time;
        }
        else
        {
            time = _lastTime[which];  // not stamped: the stream's last time stamp is the nearest there is
        }
        var pending = _pending[which];
        while (text.Length > 0)
        {
            if (pending.Length == 0) _pendingTime[which] = time;
            var newline = text.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(text);
                if (pending.Length >= LongestLine) GiveOut(which);
                return;
            }
            pending.Write(text[..newline]);
            GiveOut(which);
            text = text[(newline + 1)..];
        }
    }

    private void GiveOut(int which)
    {
        var pending = _pending[which];
        // Decoded whole: a character's bytes may have come in two messages.
        var line = Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length);
        pending.SetLength(0);
        _ready.Enqueue(new ServiceLogLine(_pendingTime[which], line, Stderr: which == 1));
    }

    private void End()
    {
        _ended = true;
        // Text the job wrote last with no newline after it is a line too.
        foreach (var which in new[] { 0, 1 })
            if (_pending[which].Length > 0) GiveOut(which);
    }

    /// <summary>
    /// The engine's RFC 3339 time stamp with up to nine decimals (<c>2026-11-29T05:44:38.257136748Z</c>), to the 100 ns
    /// a <see cref="DateTimeOffset"/> holds (the rest is cut, never rounded up, so a line is never dated after itself).
    /// </summary>
    internal static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        if (!text.EndsWith('Z')) return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text[..^1] : text[..dot];
        if (!DateTime.TryParseExact(whole, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
            return false;
        long ticks = 0;
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..^1];
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return false;
            ticks = long.Parse(digits.Length > 7 ? digits[..7] : digits.PadRight(7, '0'), CultureInfo.InvariantCulture);
        }
        time = new DateTimeOffset(DateTime.SpecifyKind(seconds, DateTimeKind.Utc)).AddTicks(ticks);
        return true;
    }

    /// <summary>A time as the Engine API's <c>since</c> takes it: Unix seconds and nine decimals.</summary>
    internal static string SinceText(DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{rest * 100:D9}");
    }
}
