namespace Plue.Providers;

/// <summary>
/// The reads of a streamed response body, each bounded: the first by the instance's first-byte timeout, every later
/// one by its stall timeout (the longest gap between bytes), so a server that goes quiet, or trickles slower than the
/// gap allowed, ends the answer instead of holding the turn. A body that breaks off is a
/// <see cref="ProviderErrorKind.StreamCut"/>. Every wire's reader (SSE and NDJSON lines, AWS event-stream frames) reads through one.
/// </summary>
internal sealed class BodyReads(Stream stream, ProviderConnection connection, string? requestId, CancellationToken cancellationToken) : IDisposable
{
    private readonly CancellationTokenSource _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private bool _gotBytes;

    public ProviderConnection Connection => connection;

    /// <summary>The provider's request id, for the errors these reads raise.</summary>
    public string? RequestId => requestId;

    /// <summary>Reads what is there (0 at the end of the body) within the timeout that applies.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        var limit = _gotBytes ? connection.StallTimeoutMs : connection.FirstByteTimeoutMs;
        _timer.CancelAfter(limit);
        int read;
        try
        {
            read = await stream.ReadAsync(buffer, _timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw _gotBytes ? ProviderErrors.Stalled(connection, limit, requestId) : ProviderErrors.Timeout(connection, firstByte: true, limit, requestId);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderErrors.StreamCut(connection, requestId, ex);
        }
        _gotBytes = true;
        return read;
    }

    public void Dispose()
    {
        stream.Dispose();
        _timer.Dispose();
    }
}
