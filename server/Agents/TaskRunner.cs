using Plue.Codex.Kinds;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Plue.Agents.Backends;
using Plue.Codex.Records;
using Plue.Customizations;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Turns;

namespace Plue.Agents;

/// <summary>
/// Runs a task: model turns on its instance until the model answers without a tool call for the sidecar (its text
/// becomes the task's result), a limit stops it (max_turns: failed; spend cap: paused), the provider fails (failed, the
/// partial transcript kept) or it is interrupted (cancelled). Each turn streams into the task's transcript like a chat
/// answer (<c>session/partDelta</c> with the task id as session id). How a turn and its tools run is the backend's
/// (<see cref="TaskBackends"/>): the sidecar's own tool loop, or the claude CLI's; the loop itself is the turn engine's
/// (<see cref="TurnEngine"/>), the task its owner (<see cref="TaskTurn"/>).
/// </summary>
public sealed partial class TaskRunner(
    TaskTurnServices services,
    TurnEngine engine,
    TaskRecords records,
    TaskEvents events,
    LiveTasks live,
    MessageStore messages,
    TranscriptTurns turns,
    TaskPlaces places,
    TaskTree tree,
    ISwarmTasks swarm,
    ILogger<TaskRunner> logger)
{
    /// <summary>Runs the task until it ends and stores how; a sub-task first waits for one of its parent's <paramref name="slot"/>s.</summary>
    public async Task<CodexRecord?> RunAsync(TaskRun run, bool resumed, SemaphoreSlim? slot = null)
    {
        TaskEnd end;
        var acquired = false;
        try
        {
            if (slot is not null)
            {
                await slot.WaitAsync(run.Token).ConfigureAwait(false);
                acquired = true;
            }
            end = await LoopAsync(run, resumed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            end = places.DiedWhy(run.TaskId) is { } died ? TaskEnd.Failed(died)
                : new TaskEnd(TaskStatuses.Cancelled, live.Stopping ? TaskEnd.SidecarStopped : TaskEnd.Interrupted);
        }
        catch (TaskCapReachedException e)
        {
            end = new TaskEnd(TaskStatuses.Paused, e.Message);
        }
        catch (Exception e)
        {
            // Anything else ends the task, never the sidecar: the user reads why on the task.
            if (e is not RpcException) LogRunFailed(run.TaskId, e);
            end = TaskEnd.Failed(e.Message);
        }
        finally
        {
            if (acquired) slot!.Release();
        }
        return await FinishAsync(run, end).ConfigureAwait(false);
    }

    /// <summary>The run's turns, on the one turn engine, with the task as their owner (<see cref="TaskTurn"/>); a swarm job's, followed (<see cref="ISwarmTasks"/>).</summary>
    private async Task<TaskEnd> LoopAsync(TaskRun run, bool resumed)
    {
        // A sub-task on a swarm runs its own turns in its job: its run here follows the job.
        if (records.Get(run.TaskId) is var task && swarm.RunsAsJob(task)) return await swarm.RunAsync(run, task, run.Token).ConfigureAwait(false);
        using var owner = new TaskTurn(services, run, resumed, PickUpAsync);
        return await engine.RunAsync(owner, run.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// A resumed task first picks up what its last run left: the calls its last answer left unanswered (the sidecar
    /// stopped while they ran: each spawn_task call goes on with the sub-task it had started), then its other sub-tasks
    /// that stopped (at a spend cap, or with the sidecar), under its concurrency, in the order they were started.
    /// Then the model is told it was resumed, and how those other sub-tasks ended.
    /// </summary>
    private async Task PickUpAsync(TaskRun run, CodexRecord task, ITaskConversation conversation)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (messages.Messages(task.Id).LastOrDefault(m => m.Role == MessageRole.Assistant) is { Status: MessageStatus.Complete } last)
        {
            var started = tree.Unreported(task);
            run.LeaveStarted(started);
            await conversation.ResumeToolCallsAsync(last, run.Token).ConfigureAwait(false);
            var untaken = run.LeaveStarted([]).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            taken.UnionWith(started.Select(c => c.Id).Where(c => !untaken.Contains(c)));
        }
        var slots = run.ChildSlots(TaskRecordFields.Of(task.Fields).Concurrency ?? TaskGrants.DefaultConcurrency);
        var stopped = records.Children(task.Id).Where(c => TaskTree.Stopped(c) && !taken.Contains(c.Id)).ToList();
        var outcomes = await Task.WhenAll(stopped.Select(child => GoOnAsync(run, child, slots))).ConfigureAwait(false);
        run.Token.ThrowIfCancellationRequested();
        await AddUserAsync(task.Id, TaskBrief.ResumeNote + TaskTree.Told(stopped.Zip(outcomes, TaskSpawner.Outcome).Select(o => o.Output))).ConfigureAwait(false);
    }

    /// <summary>
    /// Carries a sub-task on under its resumed parent and returns how it ended: one that stopped (<see cref="TaskTree.Stopped"/>)
    /// resumes from its transcript in one of the parent's <paramref name="slots"/>; one the user resumed already is waited
    /// for; one that ended is as it ended. Null when it was deleted.
    /// </summary>
    public async Task<CodexRecord?> GoOnAsync(TaskRun parentRun, CodexRecord child, SemaphoreSlim slots)
    {
        if (live.Find(child.Id) is { } running)
        {
            await running.Finished.WaitAsync(parentRun.Token).ConfigureAwait(false);
            return records.Find(child.Id);
        }
        if (!TaskTree.Stopped(child)) return child;
        if (live.TryBegin(child.Id, parentRun.Token, records.Children(child.Id).Count) is not { } childRun) return records.Find(child.Id);
        try
        {
            records.Update(child.Id, TaskStatuses.Queued, new JsonObject { [TaskFields.StatusReason] = null, [TaskFields.RunOwner] = TranscriptOwner.Current });
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.NotFound)
        {
            live.End(childRun); // deleted meanwhile
            return null;
        }
        await events.ChangedAsync(child.Id).ConfigureAwait(false);
        return await RunAsync(childRun, resumed: true, slots).ConfigureAwait(false);
    }

    private async Task<CodexRecord?> FinishAsync(TaskRun run, TaskEnd end)
    {
        await places.SettleAsync(run.TaskId, end.Status).ConfigureAwait(false);
        var elapsed = run.Clock.ElapsedMilliseconds;
        run.Clock.Reset(); // what this run took is in the record from here on, not counted twice
        CodexRecord? record = null;
        try
        {
            var stored = TaskRecordFields.Of(records.Get(run.TaskId).Fields).ElapsedMs ?? 0;
            var fields = new JsonObject
            {
                [TaskFields.StatusReason] = end.Reason,
                [TaskFields.FinishedAt] = FieldTime.Stamp(DateTimeOffset.UtcNow),
                [TaskFields.ElapsedMs] = stored + elapsed,
                [TaskFields.RunOwner] = null,
            };
            if (end.Result is not null) fields[TaskFields.Result] = end.Result;
            run.Status = end.Status;
            record = records.Update(run.TaskId, end.Status, fields);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.NotFound)
        {
            LogTaskGone(run.TaskId); // deleted while it ran: nothing to write to
        }
        finally
        {
            live.End(run);
        }
        await events.ChangedAsync(run.TaskId).ConfigureAwait(false);
        return record;
    }

    private Task AddUserAsync(string id, string text) => turns.AddUserAsync(id, [new TextPart { Id = TranscriptIds.New(), Text = text }]);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed unexpectedly")]
    private partial void LogRunFailed(string taskId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was deleted while it ran; its end is not recorded")]
    private partial void LogTaskGone(string taskId);
}
