using System.Collections.Concurrent;

namespace Plue.Agents;

/// <summary>The task runs alive in this process, by task id: at most one per task.</summary>
public sealed class LiveTasks
{
    private readonly ConcurrentDictionary<string, TaskRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Set while the sidecar shuts down: runs cancelled now say so rather than "Interrupted".</summary>
    public bool Stopping { get; set; }

    public TaskRun? Find(string taskId) => _runs.GetValueOrDefault(taskId);

    public bool IsLive(string taskId) => _runs.ContainsKey(taskId);

    /// <summary>Claims the task for a run; null when one is already running it.</summary>
    public TaskRun? TryBegin(string taskId, CancellationToken parent, int alreadySpawned)
    {
        var run = new TaskRun(taskId, parent, alreadySpawned);
        if (_runs.TryAdd(taskId, run)) return run;
        run.Dispose();
        return null;
    }

    public void End(TaskRun run)
    {
        _runs.TryRemove(KeyValuePair.Create(run.TaskId, run));
        run.MarkFinished();
        run.Dispose();
    }

    public IReadOnlyCollection<TaskRun> All => [.. _runs.Values];

    /// <summary>Whether any task runs now.</summary>
    public bool Any => !_runs.IsEmpty;
}
