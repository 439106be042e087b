using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// At start, tasks a dead sidecar left queued or running are marked cancelled ("The sidecar stopped while the task
/// ran"): their transcripts were already kept (<c>TranscriptRecovery</c> marks their last message interrupted), so
/// they can be resumed. A task another live window's sidecar runs is left alone. It is done once, before the first task
/// request is answered (<see cref="EnsureRecovered"/>), so no client reads a dead run as running. At stop, this sidecar's
/// runs end the same way.
/// </summary>
public sealed partial class TaskRecovery(TaskRecords records, LiveTasks live, WorkspaceContext session, TaskWorktrees worktrees, ILogger<TaskRecovery> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private bool _recovered;

    // The store's location is known only after initialize. The sweep blocks on the store (and git): not on the pool.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.Initialized += () => StartWork.Run("plue task sweep", () =>
        {
            EnsureRecovered();
            RecoverWorktreesAsync().GetAwaiter().GetResult();
        }, e => LogRecoveryFailed(e.Message));
        return Task.CompletedTask;
    }

    /// <summary>Marks the dead runs unless done already: the first caller (the start, or a task request) does it, the others wait for it.</summary>
    public void EnsureRecovered()
    {
        lock (_gate)
        {
            if (_recovered) return;
            Recover();
            _recovered = true;
        }
    }

    public void Recover()
    {
        try
        {
            var count = 0;
            foreach (var status in new[] { TaskStatuses.Queued, TaskStatuses.Running, TaskStatuses.WaitingApproval })
            {
                foreach (var task in records.List(status: status))
                {
                    if (live.IsLive(task.Id) || task.Unreadable is not null) continue; // listed as unreadable; nothing writes over it
                    if (TaskRecordFields.Of(task.Fields).RunOwner is { } owner && TranscriptOwner.IsAlive(owner, session.Home)) continue;
                    records.Update(task.Id, TaskStatuses.Cancelled, new JsonObject { [TaskFields.StatusReason] = TaskEnd.SidecarStopped, [TaskFields.RunOwner] = null });
                    count++;
                }
            }
            if (count > 0) LogRecovered(count);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or Rpc.RpcException)
        {
            LogRecoveryFailed(e.Message);
        }
    }

    /// <summary>
    /// Worktrees a dead sidecar left: a deleted task's, or one made only in part, are removed; a stopped task's keeps its
    /// changes for review (or goes when it has none); a paused one's is kept to go on; one another live window runs is left alone.
    /// </summary>
    public async Task RecoverWorktreesAsync()
    {
        foreach (var id in worktrees.Tasks())
        {
            try
            {
                if (live.IsLive(id)) continue;
                var task = records.Find(id);
                if (task is null || worktrees.Find(id) is null)
                {
                    await worktrees.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                if (!Idle(task)) continue;
                await worktrees.ClearStaleLockAsync(id, CancellationToken.None).ConfigureAwait(false);
                if (task.Status != TaskStatuses.Paused) await worktrees.SettleAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Checkpoints.CheckpointException or IOException or UnauthorizedAccessException or Rpc.RpcException)
            {
                LogWorktreeRecoveryFailed(id, e.Message);
            }
        }
    }

    /// <summary>
    /// Clears an <c>index.lock</c> a killed git left in the task's worktree, when no run of the task (whose tools may
    /// run git there) works now, here or in another live window.
    /// </summary>
    public Task ClearStaleLockAsync(CodexRecord task, CancellationToken cancellationToken) =>
        Idle(task) ? worktrees.ClearStaleLockAsync(task.Id, cancellationToken) : Task.CompletedTask;

    private bool Idle(CodexRecord task) =>
        !live.IsLive(task.Id) && !(TaskRecordFields.Of(task.Fields).RunOwner is { } owner && TranscriptOwner.IsAlive(owner, session.Home));

    /// <summary>Stops this sidecar's runs, which record that the sidecar stopped, and waits a little for them to.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        live.Stopping = true;
        var runs = live.All;
        foreach (var run in runs) run.Cancel();
        try
        {
            await Task.WhenAll(runs.Select(r => r.Finished)).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The next start marks what is left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} task(s) left running by a stopped sidecar are marked cancelled")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its worktree was not recovered: {Reason}")]
    private partial void LogWorktreeRecoveryFailed(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for tasks left running: {Reason}")]
    private partial void LogRecoveryFailed(string reason);
}

/// <summary>
/// Task recovery started and stopped with the host: a type of its own, so the one-shot sidecar leaves it out by its
/// type without making the recovery, and with it the agents' services, first (OneShotSidecar).
/// </summary>
public sealed class TaskRecoveryStart(TaskRecovery recovery) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => recovery.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => recovery.StopAsync(cancellationToken);
}
