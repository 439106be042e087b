using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Plue.Transcripts;

/// <summary>
/// Persists what turns stream, off their path: a turn queues new parts and text here and never waits for
/// SQLite. One background thread writes the queue in order, in one transaction, so that it is committed within
/// <see cref="MaxLoss"/> of the first write queued: a crash (kill -9) loses at most that much text. The deadline is
/// time's, whatever the machine's load: the thread starts a batch early by what writing one recently took beyond
/// its plan (waking up late on a busy machine, the write itself), so a loaded machine gets smaller, more frequent
/// batches and an idle one few. While text streams the thread wakes once a batch: after a batch it waits one
/// interval and writes what came meanwhile, unwoken by the text's arrival (a turn's thread pays no wake-up, this
/// thread one, not two); when an interval brings nothing it gives back its connection and sleeps until text comes.
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

    private readonly MessageStore.StreamedBatches _batches;
    private readonly ILogger<TranscriptWriter> _logger;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private List<StreamedWrite> _pending = [];
    private List<TaskCompletionSource> _flushWaiters = [];
    private long _firstQueuedAt;
    // How much sooner than MaxLoss the next batch starts: twice the recent overrun of a batch past its start, decaying.
    private TimeSpan _lead = MinLead;
    private bool _stopping;
    // The thread sleeps until text comes (not one interval): only then does queued text wake it.
    private bool _idle;
    // A batch that failed with no flush waiting: the next flush reports it, so no turn ends believing it was stored.
    private Exception? _unreported;

    public TranscriptWriter(MessageStore store, ILogger<TranscriptWriter> logger)
    {
        _batches = store.StreamedWrites();
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
            _firstQueuedAt = Stopwatch.GetTimestamp();
            // Only text that finds the thread idle wakes it; otherwise it is writing or waiting out an interval already.
            if (_idle) Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        var wrote = false;
        while (true)
        {
            List<StreamedWrite> batch;
            List<TaskCompletionSource> waiters;
            long firstQueuedAt;
            var wait = MaxLoss - _lead;
            // Whole milliseconds, rounded up: a wait shorter than one is no wait at all (Monitor.Wait rounds it down to
            // 0), and the thread spun through the last one of every batch.
            static int Ms(TimeSpan span) => (int)Math.Ceiling(span.TotalMilliseconds);
            bool quiet, napped = false;
            lock (_gate)
            {
                // Text is streaming: what comes within one interval is written when it ends, the interval its wait.
                if (wrote && Nothing)
                {
                    Monitor.Wait(_gate, Ms(wait));
                    napped = true;
                }
                quiet = Nothing;
            }
            if (quiet)
            {
                _batches.Dispose();
                lock (_gate)
                {
                    _idle = true;
                    while (Nothing) Monitor.Wait(_gate);
                    _idle = false;
                }
            }
            lock (_gate)
            {
                if (_pending.Count == 0 && _flushWaiters.Count == 0) break; // stopping, nothing left
                // Text that came during the interval just waited is written now; text that woke an idle thread, or came
                // while a batch was written, waits out its interval.
                while (!napped || quiet)
                {
                    if (_flushWaiters.Count > 0 || _stopping || wait - Stopwatch.GetElapsedTime(_firstQueuedAt) is not { Ticks: > 0 } left) break;
                    Monitor.Wait(_gate, Ms(left));
                }
                (batch, _pending) = (_pending, []);
                (waiters, _flushWaiters) = (_flushWaiters, []);
                firstQueuedAt = _firstQueuedAt;
            }
            wrote = batch.Count > 0;
            try
            {
                if (wrote)
                {
                    _batches.Write(batch);
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
        _batches.Dispose();
    }

    // Nothing to write, no flush waiting, and no stop asked. Held under _gate.
    private bool Nothing => _pending.Count == 0 && _flushWaiters.Count == 0 && !_stopping;

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
