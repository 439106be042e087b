using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Plue.Rpc;

/// <summary>
/// Reads LSP base-protocol frames (<c>Content-Length: N\r\n\r\n</c> + body) from a stream.
/// A bad header block is reported, then the reader resynchronises on the next <c>Content-Length:</c>, so one broken
/// frame costs that frame and never the ones after it; a block whose length is known but has a junk line is returned
/// with its body, so its request can be refused by id. A body larger than the limit is never allocated: the
/// connection is closed instead.
/// </summary>
public sealed class FrameReader(Stream input, int maxMessageBytes) : IFrameReader
{
    /// <summary>Header blocks longer than this are garbage, not headers.</summary>
    private const int MaxHeaderBytes = 8 * 1024;
    private static readonly byte[] s_headerEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_lengthHeader = "Content-Length:"u8.ToArray();
    private static readonly byte[] s_lengthHeaderLower = "content-length:"u8.ToArray();

    private readonly PipeReader _reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024));

    /// <summary>After a bad header block: skip to the next <c>Content-Length:</c> before reading headers again.</summary>
    private bool _resynchronising;

    /// <summary>The next frame, or null at end of input. Throws <see cref="FrameTooLargeException"/>.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        int? bodyLength = null;
        string? headerError = null;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;

            if (bodyLength is null)
            {
                if (_resynchronising)
                {
                    var next = NextLengthHeader(buffer);
                    if (next < 0)
                    {
                        // Keep only what could be the start of a header split across reads.
                        var keep = Math.Min(buffer.Length, s_lengthHeader.Length - 1);
                        if (result.IsCompleted)
                        {
                            _reader.AdvanceTo(buffer.End);
                            return null;
                        }
                        _reader.AdvanceTo(buffer.GetPosition(buffer.Length - keep), buffer.End);
                        continue;
                    }
                    _resynchronising = false;
                    buffer = buffer.Slice(next);
                }
                var headerEnd = IndexOf(buffer, s_headerEnd);
                if (headerEnd < 0)
                {
                    if (buffer.Length > MaxHeaderBytes)
                    {
                        Resynchronise(buffer);
                        return Frame.Malformed($"no end of headers within {MaxHeaderBytes} bytes");
                    }
                    if (result.IsCompleted)
                    {
                        _reader.AdvanceTo(buffer.End);
                        return null;
                    }
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                var headerText = Encoding.ASCII.GetString(buffer.Slice(0, headerEnd));
                var afterHeaders = buffer.GetPosition(headerEnd + s_headerEnd.Length);
                var parsed = ParseHeaders(headerText, maxMessageBytes);
                if (parsed.Length is null)
                {
                    Resynchronise(buffer);
                    return Frame.Malformed(parsed.Error!);
                }
                _reader.AdvanceTo(afterHeaders);
                bodyLength = parsed.Length;
                headerError = parsed.Error;
                continue;
            }

            if (buffer.Length >= bodyLength.Value)
            {
                var body = buffer.Slice(0, bodyLength.Value).ToArray();
                _reader.AdvanceTo(buffer.GetPosition(bodyLength.Value));
                return new Frame(body, headerError);
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Drops the first byte of a bad block and looks for the next <c>Content-Length:</c> from there on.</summary>
    private void Resynchronise(ReadOnlySequence<byte> buffer)
    {
        _resynchronising = true;
        _reader.AdvanceTo(buffer.GetPosition(1));
    }

    private static long NextLengthHeader(ReadOnlySequence<byte> buffer)
    {
        var upper = IndexOf(buffer, s_lengthHeader);
        var lower = IndexOf(buffer, s_lengthHeaderLower);
        return upper < 0 ? lower : lower < 0 ? upper : Math.Min(upper, lower);
    }

    /// <summary>The length (null when unknown) and what is wrong with the block, if anything.</summary>
    private static (int? Length, string? Error) ParseHeaders(string block, int maxMessageBytes)
    {
        int? length = null;
        string? junk = null;
        foreach (var line in block.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                junk ??= $"malformed header line '{Printable(line)}'";
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length == 0 || !value.All(char.IsAsciiDigit))
                    return (null, $"Content-Length '{Printable(value)}' is not a non-negative integer");
                // More digits than a long holds is still just "too large".
                var n = value.Length > 18 ? long.MaxValue : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                if (n > maxMessageBytes) throw new FrameTooLargeException(n, maxMessageBytes);
                length = (int)n;
            }
            // Content-Type and unknown headers are allowed and ignored; the body is always UTF-8.
        }
        return length is null ? (null, junk ?? "missing Content-Length header") : (length, junk);
    }

    private static string Printable(string s) => s.Length > 80 ? s[..80] + "…" : s;

    private static long IndexOf(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> value)
    {
        if (buffer.IsSingleSegment) return buffer.FirstSpan.IndexOf(value);
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, value, advancePastDelimiter: false) ? before.Length : -1;
    }
}

/// <summary>
/// One frame: a body, or the reason its headers could not be read, or both when the headers were bad but still said
/// where the body ends (then the body is not to be served, only refused by its id).
/// </summary>
public readonly record struct Frame(byte[]? Body, string? Error)
{
    public static Frame Of(byte[] body) => new(body, null);
    public static Frame Malformed(string error) => new(null, error);
}

/// <summary>The peer announced a body bigger than the limit; the connection must close.</summary>
public sealed class FrameTooLargeException(long length, int limit)
    : Exception($"message of {length} bytes exceeds the {limit}-byte limit; closing the connection")
{
    public long Length { get; } = length;
}
