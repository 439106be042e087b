using System.Buffers;
using System.Text;

namespace Plue.Providers;

/// <summary>
/// Server-sent events over <see cref="StreamLineReader"/>: <c>event:</c> and <c>data:</c> fields, a blank line
/// ends an event, comment lines (<c>: OPENROUTER PROCESSING</c>) and <c>id:</c>/<c>retry:</c> are skipped. The stall
/// timeout bounds the wait for each whole event, not for each byte; a keep-alive comment does not count as one.
/// </summary>
internal sealed class SseReader(StreamLineReader lines)
{
    // Known event names are returned as these constants, so a stream allocates no string per event.
    private static readonly string[] s_knownEvents =
    [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "ping", "error",
    ];
    private static readonly byte[][] s_knownEventBytes = [.. s_knownEvents.Select(Encoding.UTF8.GetBytes)];

    private readonly ArrayBufferWriter<byte> _data = new(4096);

    public StreamLineReader Lines => lines;

    /// <summary>The current event's type, null when the server sent none (OpenAI).</summary>
    public string? Event { get; private set; }

    /// <summary>The current event's data (several data lines joined with \n); valid until the next read.</summary>
    public ReadOnlyMemory<byte> Data => _data.WrittenMemory;

    /// <summary>False at the end of the body. An event cut off before its blank line is still returned.</summary>
    public async ValueTask<bool> ReadEventAsync()
    {
        _data.ResetWrittenCount();
        Event = null;
        var hasData = false;
        while (true)
        {
            while (lines.TryReadLine(linesAreEvents: false))
            {
                if (Dispatch(lines.Line.Span, ref hasData)) return true;
            }
            if (lines.AtEnd) return hasData;
            lines.Filled(await lines.ReadMoreAsync().ConfigureAwait(false));
        }
    }

    /// <summary>True when the line ends an event that has data.</summary>
    private bool Dispatch(ReadOnlySpan<byte> line, ref bool hasData)
    {
        if (line.IsEmpty)
        {
            if (hasData)
            {
                lines.EventEnded();
                return true;
            }
            Event = null;
            return false;
        }
        if (line[0] == ':')
        {
            // A comment is a server's keep-alive (": OPENROUTER PROCESSING"): silence, as far as the stall timeout goes
            // (a server that sends nothing else would hold the turn for ever).
            return false;
        }
        if (line.StartsWith("data:"u8))
        {
            if (hasData) _data.Write("\n"u8);
            _data.Write(Value(line[5..]));
            hasData = true;
        }
        else if (line.StartsWith("event:"u8))
        {
            Event = Name(Value(line[6..]));
        }
        return false;
    }

    private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> field) => field.Length > 0 && field[0] == ' ' ? field[1..] : field;

    private static string Name(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < s_knownEventBytes.Length; i++)
            if (name.SequenceEqual(s_knownEventBytes[i])) return s_knownEvents[i];
        return Encoding.UTF8.GetString(name);
    }
}
