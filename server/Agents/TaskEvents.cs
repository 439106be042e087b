using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// <c>codex/changed</c> with the task's fresh view (and <c>task/updated</c>, the same view): sent at once when a task's status or pending approval changes; usage and cost changes (which
/// also change every ancestor's totals) at most once per <see cref="CostInterval"/> per task, carrying the latest state.
/// A task's throttle lives while it runs in this process, or while a send for it is due: a store of many finished
/// tasks keeps none. How many live now is the <c>plue.agents.update_throttles</c> up-down counter of the <c>Plue.Agents</c> meter
/// (ARCHITECTURE.md, Diagnostics).
/// </summary>
public sealed partial class TaskEvents(JsonRpcPeer peer, CodexService codex, TaskRecords records, LiveTasks live, IMeterFactory meters, ILogger<TaskEvents> logger)
{
    public static readonly TimeSpan CostInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Throttle> _throttles = Measured(new(StringComparer.Ordinal), meters);

    /// <summary>The task's status or approval changed: it now, its ancestors (whose counts and totals moved) soon.</summary>
    /// <summary>The run has begun: the task marked running (its first start stamped, the last run's end cleared), and told.</summary>
    public async Task MarkRunningAsync(TaskRun run)
    {
        run.Status = TaskStatuses.Running;
        run.Clock.Start();
        var fields = new JsonObject { [TaskFields.StatusReason] = null, [TaskFields.FinishedAt] = null, [TaskFields.RunOwner] = Transcripts.TranscriptOwner.Current };
        if (TaskRecordFields.Of(records.Get(run.TaskId).Fields).StartedAt is null) fields[TaskFields.StartedAt] = Codex.Kinds.FieldTime.Stamp(DateTimeOffset.UtcNow);
        records.Update(run.TaskId, TaskStatuses.Running, fields);
        await ChangedAsync(run.TaskId).ConfigureAwait(false);
    }

    public async Task ChangedAsync(string taskId)
    {
        await SendAsync(taskId).ConfigureAwait(false);
        AncestorsSoon(taskId);
    }

    /// <summary>Task <paramref name="mergedBy"/> merged <paramref name="child"/>'s changes: the client opens what is in conflict.</summary>
    public async Task MergedAsync(CodexRecord child, string mergedBy, TaskApplyChangesResult result)
    {
        try
        {
            await peer.NotifyAsync(Contract.TaskMerged, new TaskMergedParams { TaskId = child.Id, Title = child.Title, MergedBy = mergedBy, Result = result }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            LogMergedNotSent(child.Id, e.Message); // no client: the file keeps its markers
        }
    }

    /// <summary>The task spent more: it and its ancestors, throttled.</summary>
    public void CostChanged(string taskId)
    {
        Soon(taskId);
        AncestorsSoon(taskId);
    }

    private void AncestorsSoon(string taskId)
    {
        try
        {
            if (records.Find(taskId) is not { } task) return;
            foreach (var ancestor in records.Ancestors(task)) Soon(ancestor.Id);
        }
        catch (Exception e) when (e is RpcException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogNotSent(taskId, e.Message); // the store is unreadable: the next change tells them
        }
    }

    private void Soon(string taskId)
    {
        var throttle = _throttles.GetOrAdd(taskId, _ => new Throttle());
        if (Interlocked.Exchange(ref throttle.Due, 1) == 1) return; // a send is already on its way and will carry this change
        var wait = CostInterval - Stopwatch.GetElapsedTime(Volatile.Read(ref throttle.LastSent));
        _ = Task.Run(async () =>
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait).ConfigureAwait(false);
            Volatile.Write(ref throttle.Due, 0);
            await SendAsync(taskId).ConfigureAwait(false);
        });
    }

    private async Task SendAsync(string taskId)
    {
        var throttle = _throttles.GetOrAdd(taskId, _ => new Throttle());
        ValueTask sent;
        try
        {
            // Built and queued under the lock: two sends of one task leave in the order their states were read.
            lock (throttle)
            {
                Volatile.Write(ref throttle.LastSent, Stopwatch.GetTimestamp());
                if (codex.ChangeOf(taskId) is not { View: TaskView task } change) throw PlueErrors.NotFound($"No task has id '{taskId}'");
                sent = TellAsync(change, task.Task);
            }
            await sent.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The task was deleted, or the client is gone: nobody to tell.
            LogNotSent(taskId, e.Message);
        }
        Forget(taskId, throttle);
    }

    /// <summary><c>codex/changed</c> with the task's fresh view, then <c>task/updated</c>, the same view for a client that follows tasks alone.</summary>
    private async ValueTask TellAsync(CodexChangedParams change, AgentTask task)
    {
        await peer.NotifyAsync(Contract.CodexChanged, change).ConfigureAwait(false);
        await peer.NotifyAsync(Contract.TaskUpdated, new TaskUpdatedParams { Task = task }).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the throttle of a task that no longer runs here once nothing is due for it (its last send, after the run
    /// ended, comes here). A send that races in just then makes a fresh one and drops it in turn.
    /// </summary>
    private void Forget(string taskId, Throttle throttle)
    {
        if (Volatile.Read(ref throttle.Due) == 0 && !live.IsLive(taskId)) _throttles.TryRemove(KeyValuePair.Create(taskId, throttle));
    }

    /// <summary>The throttles, their count observed by the meter whenever it is read.</summary>
    private static ConcurrentDictionary<string, Throttle> Measured(ConcurrentDictionary<string, Throttle> throttles, IMeterFactory meters)
    {
        meters.Create("Plue.Agents").CreateObservableUpDownCounter("plue.agents.update_throttles", () => throttles.Count, "{task}",
            "Tasks whose progress updates are throttled: running here, or with a send due");
        return throttles;
    }

    private sealed class Throttle
    {
        public long LastSent;
        public int Due;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "task/merged for {TaskId} not sent: {Reason}")]
    private partial void LogMergedNotSent(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "task/updated for {TaskId} not sent: {Reason}")]
    private partial void LogNotSent(string taskId, string reason);
}
