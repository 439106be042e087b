using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// The user's hold on what a task changed in its own worktree: review it, apply it to the folder it came from (recorded
/// as a checkpoint of the task, so it can be put back like any write), or discard it. Only once the task has stopped.
/// </summary>
public sealed class TaskChanges(TaskWorktrees worktrees, TaskRecords records, LiveTasks live, TaskKind tasks, TaskEvents events, CheckpointStore checkpoints,
    TaskRecovery recovery)
{
    public Task<TaskChangesResult> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var task = records.Get(id);
        return GitAsync(task, () => worktrees.ChangesAsync(task.Id, cancellationToken), cancellationToken);
    }

    public async Task<TaskApplyChangesResult> ApplyAsync(string id, CancellationToken cancellationToken)
    {
        var task = Stopped(id);
        var applied = await GitAsync(task, () => checkpoints.RecordAsync(task.Id, CheckpointStore.Turn, () => worktrees.ApplyAsync(task.Id, cancellationToken), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        await events.ChangedAsync(task.Id).ConfigureAwait(false);
        return applied;
    }

    /// <summary>
    /// Runs a git operation on the task's worktree, a stale lock cleared first; a git that fails says what to do
    /// (a conflict: the changes are kept) instead of reaching the client as an internal error.
    /// </summary>
    private async Task<T> GitAsync<T>(CodexRecord task, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            await recovery.ClearStaleLockAsync(task, cancellationToken).ConfigureAwait(false);
            return await operation().ConfigureAwait(false);
        }
        catch (CheckpointException e) when (e.Message.Contains("index.lock", StringComparison.Ordinal))
        {
            throw PlueErrors.Conflict($"Git is busy in the worktree of task '{task.Title}' (its index.lock is taken, the task may still be running a git command). Its changes are kept: try again in a moment.");
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            throw PlueErrors.Conflict($"Git could not read the worktree of task '{task.Title}' ({e.Message.Trim()}). Its changes are kept: try again, or discard them if the worktree was damaged.");
        }
    }

    public async Task<AgentTask> DiscardAsync(string id, CancellationToken cancellationToken)
    {
        var task = Stopped(id);
        if (worktrees.Find(task.Id) is null) throw PlueErrors.NotFound($"Task '{task.Title}' has no changes waiting: they were applied or discarded already, or it worked in the workspace.");
        await worktrees.RemoveAsync(task.Id, cancellationToken).ConfigureAwait(false);
        await events.ChangedAsync(task.Id).ConfigureAwait(false);
        return tasks.Task(task.Id);
    }

    private CodexRecord Stopped(string id)
    {
        var task = records.Get(id);
        if (live.IsLive(task.Id)) throw RpcException.InvalidParams($"Task '{task.Title}' is still running: interrupt it, or wait for it to finish, then apply or discard its changes");
        return task;
    }
}
