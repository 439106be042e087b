using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Plue.Transcripts;

/// <summary>
/// Persists what turns stream, off their path: a turn queues new parts and text here and never waits for
/// SQLite. One background thread writes the queue in order, in one transaction, so that it is committed within
/// <see cref="MaxLoss"/> of the first write queued: a crash (kill -9) loses at most that much text. The deadline is
/// time's, whatever the machine's load: the thread starts a batch early by what writing one recently took beyond
/// its plan (waking up late on a busy machine, the write itself), so a loaded machine gets smaller, more frequent
/// batches and an idle one few. The thread sleeps while nothing streams.
/// </summary>
internal sealed partial class TranscriptWriter : IDisposable
{
    public static readonly TimeSpan MaxLoss = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// How early a batch starts at least, and at most: a batch waits between 10 and 60 ms. The 40 ms left at least
    /// are the text's time before the queue (the provider's bytes read and parsed, late on a loaded machine) and the
    /// commit: the promise runs from when the provider sent the text.
    /// </summary>
    private static readonly TimeSpan MinLead = TimeSpan.FromMilliseconds(40), MaxLead = TimeSpan.FromMilliseconds(90);

    private readonly MessageStore _store;
    private readonly ILogger<TranscriptWriter> _logger;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private List<StreamedWrite> _pending = [];
    private List<TaskCompletionSource> _flushWaiters = [];
    private long _firstQueuedAt;
    // How much sooner than MaxLoss the next batch starts: twice the recent overrun of a batch past its start, decaying.
    private TimeSpan _lead = MinLead;
    private bool _stopping;
    // A batch that failed with no flush waiting: the next flush reports it, so no turn ends believing it was stored.
    private Exception? _unreported;

    public TranscriptWriter(MessageStore store, ILogger<TranscriptWriter> logger)
    {
        _store = store;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "plue transcript writer" };
        _thread.Start();
    }

    public void InsertPart(string messageId, int seq, Protocol.MessagePart part) => Queue(StreamedWrite.Insert(messageId, seq, part));

    public void Append(string partId, string delta)
    {
        lock (_gate)
        {
            // Consecutive deltas of one part become one append, gathered in a builder (joining strings would copy the text so far each time).
            if (_pending.Count > 0 && _pending[^1] is { Text: { } earlier } last && last.PartId == partId)
            {
                earlier.Append(delta);
                return;
            }
        }
        Queue(StreamedWrite.Append(partId, delta));
    }

    /// <summary>Completes once everything queued before the call is in SQLite; fails if writing it failed.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _flushWaiters.Add(done);
            Monitor.Pulse(_gate);
        }
        return done.Task;
    }

    /// <summary>Writes what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
    }

    private void Queue(StreamedWrite write)
    {
        lock (_gate)
        {
            _pending.Add(write);
            if (_pending.Count > 1) return;
            // Only the first write of a batch wakes the thread: it then waits out the interval by itself.
            _firstQueuedAt = Stopwatch.GetTimestamp();
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            List<StreamedWrite> batch;
            List<TaskCompletionSource> waiters;
            long firstQueuedAt;
            var wait = MaxLoss - _lead;
            lock (_gate)
            {
                while (_pending.Count == 0 && _flushWaiters.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_pending.Count == 0 && _flushWaiters.Count == 0) return; // stopping, nothing left
                // Whole milliseconds, rounded up: a wait shorter than one is no wait at all (Monitor.Wait rounds it down to
                // 0), and the thread spun through the last one of every batch.
                while (_flushWaiters.Count == 0 && !_stopping && wait - Stopwatch.GetElapsedTime(_firstQueuedAt) is { Ticks: > 0 } left)
                    Monitor.Wait(_gate, (int)Math.Ceiling(left.TotalMilliseconds));
                (batch, _pending) = (_pending, []);
                (waiters, _flushWaiters) = (_flushWaiters, []);
                firstQueuedAt = _firstQueuedAt;
            }
            try
            {
                if (batch.Count > 0)
                {
                    _store.WriteStreamed(batch);
                    Adapt(Stopwatch.GetElapsedTime(firstQueuedAt) - wait);
                }
            }
            catch (Exception e)
            {
                LogWriteFailed(batch.Count, e.Message);
                _unreported = e;
            }
            if (waiters.Count == 0) continue;
            var failure = _unreported;
            _unreported = null;
            foreach (var waiter in waiters)
            {
                if (failure is null) waiter.SetResult();
                else waiter.SetException(failure);
            }
        }
    }

    /// <summary>Learns from a batch that was committed <paramref name="overrun"/> after it was due to start (less when a flush took it early).</summary>
    private void Adapt(TimeSpan overrun)
    {
        var wanted = overrun * 2;
        var decayed = _lead * 0.9;
        _lead = TimeSpan.FromTicks(Math.Clamp(Math.Max(wanted.Ticks, decayed.Ticks), MinLead.Ticks, MaxLead.Ticks));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} streamed write(s) of a reply: {Reason}")]
    private partial void LogWriteFailed(int count, string reason);
}
