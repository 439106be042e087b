using System.Buffers;
using System.Buffers.Text;
using System.Threading.Channels;

namespace Plue.Rpc;

/// <summary>
/// The one ordered writer: messages are serialized by their senders, queued, and written
/// here one after another, so frames never interleave. The stream is flushed when the
/// queue runs dry, which batches bursts of notifications into few writes. Senders never
/// write themselves: the reading loop also sends, and must never wait on a client that is
/// busy writing to it. A small frame goes out in one write, header and body together, so
/// the reader is not woken for a header alone. With <see cref="Framing.NewlineDelimited"/> a body is followed by
/// <c>\n</c> instead of preceded by a header (serialized JSON holds no raw newline). The writes themselves are
/// synchronous: the standard output's stream has no asynchronous write of its own (its WriteAsync and FlushAsync each
/// queue a task that writes on another pool thread: two more thread hand-offs for every streamed delta), and only this
/// loop writes, so a write that waits for a slow client holds no sender. (A thread of its own instead of the pool's
/// cost more thread switches per delta, not fewer: the pool thread that queued a delta often writes it itself next.)
/// Where the output can say it has room for a frame (<see cref="OutputRoom"/>), a sender writes it itself when nothing
/// is queued or being written: the loop's wake-up on another thread was a quarter of a streamed delta's thread switches,
/// and a write that cannot wait holds no sender either.
/// </summary>
public sealed class FrameWriter : IAsyncDisposable
{
    private const int OneWriteLimit = 64 * 1024;
    private static readonly byte[] s_newline = "\n"u8.ToArray();

    private readonly Stream _output;
    private readonly Framing _framing;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _pump;
    private readonly Func<int, bool>? _hasRoom;
    // Held by whoever writes to the output: the loop, or a sender writing its own frame.
    private readonly Lock _writing = new();
    private volatile bool _ended;

    /// <param name="hasRoom">Whether a frame of so many bytes can be written without waiting for the client to read it; null: never (every frame goes through the loop).</param>
    public FrameWriter(Stream output, Framing framing = Framing.Lsp, Func<int, bool>? hasRoom = null)
    {
        _output = output;
        _framing = framing;
        _hasRoom = hasRoom;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Writes one message body (UTF-8 JSON) now if the output has room and nothing is ahead of it, else queues it. Waits when the queue is full.</summary>
    public ValueTask WriteAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        if (_hasRoom is not null && !_ended && _writing.TryEnter())
        {
            try
            {
                // Frames queued before this one go first; the loop may not have taken them yet.
                if (_queue.Reader.Count == 0 && _hasRoom(FrameLength(body)))
                {
                    WriteFrame(body);
                    _output.Flush();
                    return ValueTask.CompletedTask;
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The client went away, as the loop finds too; the reader side notices and ends the session.
                _ended = true;
                return ValueTask.CompletedTask;
            }
            finally
            {
                _writing.Exit();
            }
        }
        return _queue.Writer.WriteAsync(body, cancellationToken);
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                lock (_writing)
                {
                    while (reader.TryRead(out var body)) WriteFrame(body);
                    _output.Flush();
                }
            }
        }
        catch (IOException)
        {
            // The client went away; the reader side notices and ends the session.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _ended = true;
        }
    }

    /// <summary>The most an LSP header takes: "Content-Length: " and 10 digits at most, then two line ends.</summary>
    private const int MaxHeader = 30;

    /// <summary>At most the frame's length.</summary>
    private static int FrameLength(byte[] body) => body.Length + MaxHeader;

    private void WriteFrame(byte[] body)
    {
        Span<byte> header = stackalloc byte[MaxHeader];
        var headerLength = _framing == Framing.Lsp ? Header(body.Length, header) : 0;
        var trailer = _framing == Framing.NewlineDelimited ? 1 : 0;
        if (body.Length > OneWriteLimit)
        {
            if (headerLength > 0) _output.Write(header[..headerLength]);
            _output.Write(body);
            if (trailer > 0) _output.Write(s_newline);
            return;
        }
        var frame = ArrayPool<byte>.Shared.Rent(headerLength + body.Length + trailer);
        try
        {
            var n = headerLength;
            header[..n].CopyTo(frame);
            body.CopyTo(frame, n);
            if (trailer > 0) frame[n + body.Length] = (byte)'\n';
            _output.Write(frame, 0, n + body.Length + trailer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>"Content-Length: N\r\n\r\n" written into <paramref name="header"/>; its length.</summary>
    private static int Header(int bodyLength, Span<byte> header)
    {
        "Content-Length: "u8.CopyTo(header);
        Utf8Formatter.TryFormat(bodyLength, header[16..], out var digits);
        "\r\n\r\n"u8.CopyTo(header[(16 + digits)..]);
        return 16 + digits + 4;
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _ended = true;
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}
