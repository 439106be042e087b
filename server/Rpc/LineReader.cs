using System.Buffers;
using System.IO.Pipelines;

namespace Plue.Rpc;

/// <summary>
/// Reads newline-delimited JSON-RPC (one message per line, ended by <c>\r\n</c>, <c>\n</c> or a bare <c>\r</c>; blank lines skipped). A line longer
/// than the limit is never held whole: once the bytes without a newline pass the limit, they are dropped as they arrive
/// up to the next newline, and the frame returned carries only the line's first bytes, so its request can still be
/// refused under its id. The connection goes on with the next line.
/// </summary>
public sealed class LineReader(Stream input, int maxMessageBytes) : IFrameReader
{
    /// <summary>How much of an oversize line is kept to read its id and method from.</summary>
    private const int HeadBytes = 4096;

    private readonly PipeReader _reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024));

    /// <summary>Inside an oversize line: drop bytes up to its newline.</summary>
    private bool _skipping;

    /// <summary>How many bytes at the buffer's start are known to hold no newline (so a long line is scanned once).</summary>
    private long _scanned;

    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = LineEnd(buffer.Slice(_scanned));
            if (_skipping)
            {
                if (newline is null)
                {
                    _reader.AdvanceTo(buffer.End);
                    if (result.IsCompleted) return null;
                    continue;
                }
                _skipping = false;
                _reader.AdvanceTo(buffer.GetPosition(1, newline.Value));
                continue;
            }
            if (newline is null)
            {
                if (buffer.Length > maxMessageBytes)
                {
                    var head = buffer.Slice(0, Math.Min(buffer.Length, HeadBytes)).ToArray();
                    _skipping = true;
                    _scanned = 0;
                    _reader.AdvanceTo(buffer.End);
                    return TooLong(head);
                }
                if (result.IsCompleted)
                {
                    // A last line without its newline is still a message.
                    var rest = buffer.Length > 0 ? Line(buffer) : null;
                    _scanned = 0;
                    _reader.AdvanceTo(buffer.End);
                    if (rest is { Length: > 0 }) return Frame.Of(rest);
                    return null;
                }
                _scanned = buffer.Length;
                _reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            var line = buffer.Slice(0, newline.Value);
            _scanned = 0;
            if (line.Length > maxMessageBytes)
            {
                var head = line.Slice(0, Math.Min(line.Length, HeadBytes)).ToArray();
                _reader.AdvanceTo(buffer.GetPosition(1, newline.Value));
                return TooLong(head);
            }
            var body = Line(line);
            _reader.AdvanceTo(buffer.GetPosition(1, newline.Value));
            if (body.Length > 0) return Frame.Of(body);
        }
    }

    /// <summary>
    /// Where the line ends: at a <c>\n</c> or a bare <c>\r</c> (a <c>\r\n</c>'s <c>\n</c> then ends a blank line, which is
    /// skipped). A bare CR joined two requests into one line: the first was refused as unreadable, the second never answered.
    /// </summary>
    private static SequencePosition? LineEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false) ? reader.Position : null;
    }

    private Frame TooLong(byte[] head) =>
        new(head, $"a line longer than the {maxMessageBytes}-byte limit was dropped unread; send smaller messages (attach large files by reference)");

    /// <summary>The line's bytes without a trailing <c>\r</c>; empty for a blank line.</summary>
    private static byte[] Line(ReadOnlySequence<byte> line)
    {
        var bytes = line.ToArray().AsSpan().TrimEnd("\r \t"u8);
        return bytes.Length == 0 || bytes.TrimStart(" \t"u8).Length == 0 ? [] : bytes.ToArray();
    }
}
