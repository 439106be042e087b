using System.Diagnostics;

namespace Plue.Providers;

/// <summary>
/// The reads of a streamed response body, bounded by time spent waiting: until the first byte by the instance's
/// first-byte timeout, then by its stall timeout between complete events (the wire's reader says when one ended:
/// <see cref="EventEnded"/>), so a server that goes quiet, or trickles bytes that never make an event, ends the answer
/// instead of holding the turn. Only the waits for bytes count, never the time the answer's reader spends between
/// reads. A body that breaks off is a <see cref="ProviderErrorKind.StreamCut"/>. Every wire's reader (SSE events,
/// NDJSON lines, AWS event-stream frames) reads through one.
/// </summary>
internal sealed class BodyReads(Stream stream, ProviderConnection connection, string? requestId, CancellationToken cancellationToken) : IDisposable
{
    private readonly CancellationTokenSource _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private bool _gotBytes;
    private long _waitedMs;

    public ProviderConnection Connection => connection;

    /// <summary>The provider's request id, for the errors these reads raise.</summary>
    public string? RequestId => requestId;

    /// <summary>A whole event arrived: the stall timeout starts again.</summary>
    public void EventEnded() => _waitedMs = 0;

    /// <summary>Reads what is there (0 at the end of the body) within what is left of the timeout that applies.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        var limit = _gotBytes ? connection.StallTimeoutMs : connection.FirstByteTimeoutMs;
        _timer.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, limit - _waitedMs)));
        var started = Stopwatch.GetTimestamp();
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
        _waitedMs += (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!_gotBytes && read > 0)
        {
            // The first bytes: from here on the stall timeout bounds the wait for each whole event.
            _gotBytes = true;
            _waitedMs = 0;
        }
        return read;
    }

    public void Dispose()
    {
        stream.Dispose();
        _timer.Dispose();
    }
}
