using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Plue.Rpc;

/// <summary>
/// The one ordered writer: messages are serialized by their senders, queued, and written
/// here one after another, so frames never interleave. The stream is flushed when the
/// queue runs dry, which batches bursts of notifications into few writes.
/// </summary>
public sealed class FrameWriter : IAsyncDisposable
{
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
        var header = new byte[64];
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var body))
                {
                    var n = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n"), header);
                    await _output.WriteAsync(header.AsMemory(0, n)).ConfigureAwait(false);
                    await _output.WriteAsync(body).ConfigureAwait(false);
                }
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

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}
