using System.Diagnostics;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// One run of a task in this process: its cancellation (linked to its parent's, so interrupting a task stops
/// its subtree), the user's steering messages not yet read, the approval it waits for, and its children's gate.
/// </summary>
public sealed class TaskRun : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    /// <summary>Steering messages stored since the model's last call began.</summary>
    private int _unreadSteers;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SemaphoreSlim? _childSlots;
    private List<CodexRecord> _leftStarted = [];
    private bool _closed;
    private int _spawned;

    public TaskRun(string taskId, CancellationToken parent, int alreadySpawned)
    {
        TaskId = taskId;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(parent);
        Token = _cancel.Token;
        _spawned = alreadySpawned;
    }

    public string TaskId { get; }
    /// <summary>Kept, so it can still be read (cancelled or not) after the run is over.</summary>
    public CancellationToken Token { get; }
    public Stopwatch Clock { get; } = new();
    /// <summary>Completes when the run has written its final status.</summary>
    public Task Finished => _finished.Task;

    /// <summary>queued, running or waiting-approval.</summary>
    public string Status { get; set; } = TaskStatuses.Queued;
    public PendingApproval? Pending { get; set; }

    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile: nothing left to stop.
        }
    }

    /// <summary>Whether the run still takes steering (it has not decided to end).</summary>
    public bool Steerable
    {
        get
        {
            lock (_gate) return !_closed;
        }
    }

    /// <summary>Notes a user message (already in the transcript) for the next turn; false once the run has decided to end.</summary>
    public bool TrySteer()
    {
        lock (_gate)
        {
            if (_closed) return false;
            _unreadSteers++;
            return true;
        }
    }

    /// <summary>The next model call reads every steering message stored so far.</summary>
    public void SteersRead()
    {
        lock (_gate) _unreadSteers = 0;
    }

    /// <summary>Ends the run's intake of steering: false when a message arrived that the model has not read yet.</summary>
    public bool TryClose()
    {
        lock (_gate)
        {
            if (_unreadSteers > 0) return false;
            _closed = true;
            return true;
        }
    }

    /// <summary>Reserves one of the task's sub-task starts; false when <paramref name="max"/> are used (across all its runs).</summary>
    public bool TryReserveSpawn(int max)
    {
        if (Interlocked.Increment(ref _spawned) <= max) return true;
        Interlocked.Decrement(ref _spawned);
        return false;
    }

    public void ReleaseSpawn() => Interlocked.Decrement(ref _spawned);

    /// <summary>The slots the task's sub-tasks share: at most <paramref name="concurrency"/> run at once.</summary>
    public SemaphoreSlim ChildSlots(int concurrency)
    {
        lock (_gate) return _childSlots ??= new SemaphoreSlim(Math.Max(1, concurrency));
    }

    /// <summary>Its writing sub-tasks' turns, one at a time, when they cannot have worktrees of their own.</summary>
    public SemaphoreSlim WriterTurn { get; } = new(1, 1);

    /// <summary>On a resumed run, the sub-tasks its unanswered spawn_task calls had started, each for its call to take up (see <see cref="TaskSpawner"/>).</summary>
    /// <returns>Those left before, not taken.</returns>
    public IReadOnlyList<CodexRecord> LeaveStarted(IEnumerable<CodexRecord> children)
    {
        lock (_gate)
        {
            var before = _leftStarted;
            _leftStarted = [.. children];
            return before;
        }
    }

    /// <summary>The first sub-task left started that <paramref name="matches"/> a call, taken so no other call takes it; null when none does.</summary>
    public CodexRecord? TakeStarted(Func<CodexRecord, bool> matches)
    {
        lock (_gate)
        {
            var at = _leftStarted.FindIndex(c => matches(c));
            if (at < 0) return null;
            var child = _leftStarted[at];
            _leftStarted.RemoveAt(at);
            return child;
        }
    }

    public void MarkFinished()
    {
        lock (_gate) _closed = true;
        _finished.TrySetResult();
    }

    public void Dispose()
    {
        _cancel.Dispose();
        _childSlots?.Dispose();
        WriterTurn.Dispose();
    }
}
