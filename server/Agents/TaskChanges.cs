using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// The user's hold on what a task changed in its own worktree: review it, apply it to the folder it came from (recorded
/// as a checkpoint of the task, so it can be put back like any write), or discard it. Only once the task has stopped.
/// </summary>
public sealed class TaskChanges(TaskWorktrees worktrees, TaskRecords records, LiveTasks live, TaskKind tasks, TaskEvents events, CheckpointStore checkpoints)
{
    public Task<TaskChangesResult> ReadAsync(string id, CancellationToken cancellationToken) =>
        worktrees.ChangesAsync(records.Get(id).Id, cancellationToken);

    public async Task<TaskApplyChangesResult> ApplyAsync(string id, CancellationToken cancellationToken)
    {
        var task = Stopped(id);
        var applied = await checkpoints.RecordAsync(task.Id, CheckpointStore.Turn, () => worktrees.ApplyAsync(task.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
        await events.ChangedAsync(task.Id).ConfigureAwait(false);
        return applied;
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
