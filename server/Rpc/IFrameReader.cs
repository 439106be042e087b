namespace Plue.Rpc;

/// <summary>Reads one message body at a time, whatever the framing: <see cref="FrameReader"/> or <see cref="LineReader"/>.</summary>
public interface IFrameReader
{
    /// <summary>The next frame, or null at end of input. Throws <see cref="FrameTooLargeException"/> when the connection must close.</summary>
    ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken);
}
