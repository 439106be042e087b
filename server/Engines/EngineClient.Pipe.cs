using System.IO.Pipelines;
using System.Text;
using Docker.DotNet;

namespace Plue.Engines;

public sealed partial class EngineClient
{
    /// <summary>
    /// Starts a long-lived command in a running container with its input and output attached as byte streams (an MCP
    /// server on stdio): see <see cref="EnginePipe"/>. No terminal: its output is its stdout alone, as a pipe's.
    /// </summary>
    public async Task<EnginePipe> OpenPipeAsync(string containerId, ExecSpec spec, CancellationToken cancellationToken)
    {
        var (_, stream) = await StartExecAsync(containerId, spec, input: true, cancellationToken).ConfigureAwait(false);
        return new EnginePipe(stream);
    }
}

/// <summary>
/// A command running in a container with its standard streams attached: what is written to <see cref="Input"/> reaches
/// its stdin, its stdout comes out of <see cref="Output"/> (ending when it does), and the tail of its stderr is kept
/// (<see cref="Errors"/>) to say why it ended. Disposing it closes its input, which ends a server that reads it.
/// </summary>
public sealed class EnginePipe : IAsyncDisposable
{
    private const int MaxErrorChars = 4096;

    private readonly MultiplexedStream _stream;
    private readonly Pipe _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Decoder _errorDecoder = Encoding.UTF8.GetDecoder();
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _pump;

    internal EnginePipe(MultiplexedStream stream)
    {
        _stream = stream;
        Input = new InputStream(stream);
        Output = _stdout.Reader.AsStream();
        _pump = PumpAsync();
    }

    /// <summary>The command's stdin (write-only; disposing it closes it).</summary>
    public Stream Input { get; }

    /// <summary>The command's stdout (read-only), ended when the command ends or the pipe is disposed.</summary>
    public Stream Output { get; }

    /// <summary>The last of what it wrote to stderr.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Done once its output has ended.</summary>
    public Task Ended => _pump;

    private async Task PumpAsync()
    {
        await Task.Yield();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            for (;;)
            {
                var read = await _stream.ReadOutputAsync(buffer, 0, buffer.Length, _closed.Token).ConfigureAwait(false);
                if (read.EOF) break;
                if (read.Target == MultiplexedStream.TargetStream.StandardError)
                {
                    var n = _errorDecoder.GetChars(buffer, 0, read.Count, chars, 0);
                    lock (_stderr)
                    {
                        _stderr.Append(chars, 0, n);
                        if (_stderr.Length > MaxErrorChars) _stderr.Remove(0, _stderr.Length - MaxErrorChars);
                    }
                    continue;
                }
                var flushed = await _stdout.Writer.WriteAsync(buffer.AsMemory(0, read.Count), _closed.Token).ConfigureAwait(false);
                if (flushed.IsCompleted) break; // its reader is gone
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
            // The engine's connection closed under it: its output ends here.
        }
        await _stdout.Writer.CompleteAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _stream.CloseWrite();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Its connection is gone already.
        }
        // A server ends at the end of its input; one that does not is left to its caller's kill, its stream closed here.
        await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        await _closed.CancelAsync().ConfigureAwait(false);
        _stream.Dispose();
        await _pump.ConfigureAwait(false);
        _closed.Dispose();
    }

    /// <summary>Writes go to the command's stdin; disposing it closes that.</summary>
    private sealed class InputStream(MultiplexedStream stream) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => stream.WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => stream.WriteAsync(buffer, offset, count, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var bytes = buffer.ToArray();
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    stream.CloseWrite();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // Closed with its connection already.
                }
            }
            base.Dispose(disposing);
        }
    }
}
