using System.Diagnostics;

namespace Plue.Providers;

/// <summary>
/// The reads of a streamed response body, bounded by time spent waiting: until the first byte by the instance's
/// first-byte timeout, then by its stall timeout between complete events (the wire's reader says when one ended:
/// <see cref="EventEnded"/>), so a server that goes quiet, or trickles bytes that never make an event, ends the answer
/// instead of holding the turn. Only the waits for bytes count, never the time the answer's reader spends between
/// reads. The whole answer, from its first byte, is bounded by the instance's answer time limit as well, so a server
/// that keeps the line alive for ever (an event, or a keep-alive comment, now and then) still ends. A body that breaks
/// off is a <see cref="ProviderErrorKind.StreamCut"/>. Every wire's reader (SSE events,
/// NDJSON lines, AWS event-stream frames) reads through one.
/// </summary>
internal sealed class BodyReads : IDisposable
{
    private readonly Stream _stream;
    private readonly ProviderConnection _connection;
    private readonly CancellationToken _cancellationToken;
    // Cancelled by the watch when a wait runs out, or with the caller's token.
    private readonly CancellationTokenSource _ranOut;
    // One timer watches the waits, armed once a timeout and moved on only when it fires early: setting a deadline for
    // every read was a timer-queue update for every streamed delta.
    private readonly Timer _watch;
    private readonly Lock _gate = new();
    private bool _gotBytes;
    private bool _watching;
    // Waited since the start or the last whole event, in the reads before the one under way.
    private long _waitedMs;
    // When the read under way started (a Stopwatch timestamp); 0 between reads.
    private long _readStarted;
    // When the first bytes came (a Stopwatch timestamp): the answer time limit counts from there; 0 before.
    private long _answerStarted;
    // The answer time limit ran out: the read the watch cancelled says so.
    private bool _answerOver;

    public BodyReads(Stream stream, ProviderConnection connection, string? requestId, CancellationToken cancellationToken)
    {
        _stream = stream;
        _connection = connection;
        RequestId = requestId;
        _cancellationToken = cancellationToken;
        _ranOut = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _watch = new Timer(static state => ((BodyReads)state!).Watch(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public ProviderConnection Connection => _connection;

    /// <summary>The provider's request id, for the errors these reads raise.</summary>
    public string? RequestId { get; }

    /// <summary>A whole event arrived: the stall timeout starts again.</summary>
    public void EventEnded()
    {
        lock (_gate) _waitedMs = 0;
    }

    private int Limit => _gotBytes ? _connection.StallTimeoutMs : _connection.FirstByteTimeoutMs;

    /// <summary>What is left of the answer time limit (ms); unbounded before the first bytes.</summary>
    private long AnswerLeft => _answerStarted == 0 ? long.MaxValue : _connection.AnswerTimeoutMs - (long)Stopwatch.GetElapsedTime(_answerStarted).TotalMilliseconds;

    /// <summary>When the watch must look next: the wait's timeout or the answer's limit, whichever comes first.</summary>
    private long NextLook(long waited) => Math.Max(1, Math.Min(Limit - waited, AnswerLeft));

    /// <summary>Reads what is there (0 at the end of the body) within what is left of the timeout that applies.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        var limit = Limit;
        lock (_gate)
        {
            _readStarted = Stopwatch.GetTimestamp();
            if (!_watching)
            {
                _watching = true;
                _watch.Change(NextLook(_waitedMs), Timeout.Infinite);
            }
        }
        int read;
        try
        {
            read = await _stream.ReadAsync(buffer, _ranOut.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_cancellationToken.IsCancellationRequested)
        {
            if (Volatile.Read(ref _answerOver)) throw ProviderErrors.AnswerTooLong(_connection, _connection.AnswerTimeoutMs, RequestId);
            throw _gotBytes ? ProviderErrors.Stalled(_connection, limit, RequestId) : ProviderErrors.Timeout(_connection, firstByte: true, limit, RequestId);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !_cancellationToken.IsCancellationRequested)
        {
            throw ProviderErrors.StreamCut(_connection, RequestId, ex);
        }
        finally
        {
            lock (_gate)
            {
                _waitedMs += (long)Stopwatch.GetElapsedTime(_readStarted).TotalMilliseconds;
                _readStarted = 0;
            }
        }
        if (!_gotBytes && read > 0)
        {
            // The first bytes: from here on the stall timeout bounds the wait for each whole event.
            lock (_gate)
            {
                _gotBytes = true;
                _waitedMs = 0;
                _answerStarted = Stopwatch.GetTimestamp();
                // The watch was set for the first byte's timeout, which may be longer than the stall timeout.
                _watch.Change(NextLook(0), Timeout.Infinite);
                _watching = true;
            }
        }
        return read;
    }

    /// <summary>
    /// The timer fired: a read that has waited its whole timeout is cancelled; one that has not is watched again for
    /// what is left; between reads (the answer's reader at work, which never counts) the next read arms it again.
    /// </summary>
    private void Watch()
    {
        lock (_gate)
        {
            if (_readStarted == 0)
            {
                _watching = false;
                return;
            }
            var waited = _waitedMs + (long)Stopwatch.GetElapsedTime(_readStarted).TotalMilliseconds;
            if (AnswerLeft <= 0) _answerOver = true;
            else if (waited < Limit)
            {
                _watch.Change(NextLook(waited), Timeout.Infinite);
                return;
            }
        }
        try
        {
            _ranOut.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The answer ended meanwhile.
        }
    }

    public void Dispose()
    {
        _watch.Dispose();
        _stream.Dispose();
        _ranOut.Dispose();
    }
}
