using System.Buffers;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Plue.Rpc;

/// <summary>
/// The one ordered writer: messages are serialized by their senders, queued, and written
/// here one after another, so frames never interleave. The stream is flushed when the
/// queue runs dry, which batches bursts of notifications into few writes. Senders never
/// write themselves: the reading loop also sends, and must never wait on a client that is
/// busy writing to it. A small frame goes out in one write, header and body together, so
/// the reader is not woken for a header alone.
/// </summary>
public sealed class FrameWriter : IAsyncDisposable
{
    private const int OneWriteLimit = 64 * 1024;

    private readonly Stream _output;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _pump;

    public FrameWriter(Stream output)
    {
        _output = output;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues one message body (UTF-8 JSON). Waits when the queue is full.</summary>
    public ValueTask WriteAsync(byte[] body, CancellationToken cancellationToken = default) =>
        _queue.Writer.WriteAsync(body, cancellationToken);

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var body)) await WriteFrameAsync(body).ConfigureAwait(false);
                await _output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The client went away; the reader side notices and ends the session.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async ValueTask WriteFrameAsync(byte[] body)
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        if (body.Length > OneWriteLimit)
        {
            await _output.WriteAsync(Encoding.ASCII.GetBytes(header)).ConfigureAwait(false);
            await _output.WriteAsync(body).ConfigureAwait(false);
            return;
        }
        var frame = ArrayPool<byte>.Shared.Rent(header.Length + body.Length);
        try
        {
            var n = Encoding.ASCII.GetBytes(header, frame);
            body.CopyTo(frame, n);
            await _output.WriteAsync(frame.AsMemory(0, n + body.Length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}
