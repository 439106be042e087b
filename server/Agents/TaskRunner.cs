using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Plue.Agents.Backends;
using Plue.Codex.Records;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// Runs a task: model turns on its instance until the model answers without a tool call for the sidecar (its text
/// becomes the task's result), a limit stops it (max_turns: failed; spend cap: paused), the provider fails (failed, the
/// partial transcript kept) or it is interrupted (cancelled). Each turn streams into the task's transcript like a chat
/// answer (<c>session/partDelta</c> with the task id as session id). How a turn and its tools run is the backend's
/// (<see cref="TaskBackends"/>): the sidecar's own tool loop, or the claude CLI's.
/// </summary>
public sealed partial class TaskRunner(
    TaskRecords records,
    SpendCaps caps,
    TaskEvents events,
    TaskGrants grants,
    TaskBrief brief,
    LiveTasks live,
    MessageStore messages,
    TranscriptTurns turns,
    InstanceResolver resolver,
    TaskBackends backends,
    TaskPlaces places,
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
            end = new TaskEnd(TaskStatuses.Cancelled, live.Stopping ? TaskEnd.SidecarStopped : TaskEnd.Interrupted);
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

    private async Task<TaskEnd> LoopAsync(TaskRun run, bool resumed)
    {
        var id = run.TaskId;
        var task = records.Get(id);
        var connection = resolver.Resolve(records.InstanceId(task));
        var modelId = TaskFields.Text(task.Fields, TaskFields.ModelId) ?? throw RpcException.InvalidParams("The task has no model_id");
        var backend = backends.For(connection);
        var grant = grants.For(task, backend.RunsOwnTools, (waiting, pending) => Waiting(run, waiting, pending));
        using var place = await places.EnterAsync(task, grant, backend.RunsOwnTools, run.Token).ConfigureAwait(false);
        grant = grant with { Folders = place.Folders };
        await MarkRunningAsync(run, task).ConfigureAwait(false);
        if (messages.NextSeq(id) == 0)
        {
            var described = grants.Describe(task, grant, backend.RunsOwnTools);
            await AddUserAsync(id, TaskBrief.FirstMessage(task, described, brief.Models(described, connection.InstanceId, modelId))).ConfigureAwait(false);
        }
        else if (resumed) await AddUserAsync(id, TaskBrief.ResumeNote + await ResumePausedChildrenAsync(run, task).ConfigureAwait(false)).ConfigureAwait(false);

        // ConversationId keys the claude CLI's process; HTTP backends ignore it.
        var options = new ChatOptions { ModelId = modelId, Instructions = brief.SystemPrompt(task), ConversationId = id };
        // A task has no sampling settings of its own: its instance's defaults are its (reasoning only where the wire format needs no model facts).
        connection.Defaults.ApplyTo(options, connection.ProviderType, null);
        await using var conversation = await backend.OpenAsync(task, connection, grant, options, run.Token).ConfigureAwait(false);
        while (true)
        {
            run.Token.ThrowIfCancellationRequested();
            run.SteersRead(); // stored when typed (TaskControl.SteerAsync): the transcript holds them already
            task = records.Get(id); // limits may have been edited meanwhile
            if (Limit(task) is { } stop) return stop;

            var answer = await conversation.AskAsync(run.Token).ConfigureAwait(false);
            await WarnIfTruncatedAsync(id, answer).ConfigureAwait(false);
            events.CostChanged(id);
            run.Token.ThrowIfCancellationRequested();
            if (answer.Status != MessageStatus.Complete) return TaskEnd.Failed(answer.Error ?? $"The model's answer ended {answer.Status.ToString().ToLowerInvariant()}");
            if (await conversation.RunToolCallsAsync(answer, run.Token).ConfigureAwait(false)) continue;
            // No tool call: the final report, unless the user steered meanwhile (then the model reads that first).
            if (run.TryClose()) return new TaskEnd(TaskStatuses.Completed, null, FinalText(answer));
        }
    }

    /// <summary>A limit that stops the task before its next model call: its turns, or a spend cap (its own or an ancestor's, sub-tasks included).</summary>
    private TaskEnd? Limit(CodexRecord task)
    {
        var maxTurns = TaskFields.Int(task.Fields, TaskFields.MaxTurns) ?? 40;
        if (messages.Count(task.Id, MessageRole.Assistant) >= maxTurns)
            return TaskEnd.Failed($"Reached its limit of {maxTurns} model turns without a final report; raise max_turns and resume it to go on");
        if (caps.Find(task) is not { } reached) return null;
        if (reached.Holder.Id == task.Id)
            return new TaskEnd(TaskStatuses.Paused,
                $"Spend cap reached: ${Money(reached.Spent)} of ${Money(reached.Cap)} spent, sub-tasks included; resume it with a higher spendCapUsd to go on");
        return new TaskEnd(TaskStatuses.Paused,
            $"Paused: {reached.Holder.Title} reached its spend cap of ${Money(reached.Cap)} (${Money(reached.Spent)} spent with its sub-tasks); " +
            "it goes on when that task is resumed with a higher cap");
    }

    /// <summary>
    /// Resuming a task resumes its paused sub-tasks (stopped at a spend cap, usually this task's) from their transcripts,
    /// under its concurrency, before its own next call; returns what the model is told of how they ended, or "".
    /// A child the user resumed already is left to that run.
    /// </summary>
    private async Task<string> ResumePausedChildrenAsync(TaskRun run, CodexRecord task)
    {
        var paused = records.Children(task.Id).Where(c => c.Status == TaskStatuses.Paused).ToList();
        if (paused.Count == 0) return "";
        var slots = run.ChildSlots(TaskFields.Int(task.Fields, TaskFields.Concurrency) ?? TaskGrants.DefaultConcurrency);
        var outcomes = await Task.WhenAll(paused.Select(async child =>
        {
            if (live.TryBegin(child.Id, run.Token, records.Children(child.Id).Count) is not { } childRun) return null;
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
            return TaskSpawner.Outcome(child, await RunAsync(childRun, resumed: true, slots).ConfigureAwait(false)).Output;
        })).ConfigureAwait(false);
        run.Token.ThrowIfCancellationRequested();
        var told = outcomes.OfType<string>().ToList();
        return told.Count == 0 ? "" : "\n\nYour sub-tasks that were paused went on from where they stopped, and ended:\n\n" + string.Join("\n\n", told);
    }

    private async Task MarkRunningAsync(TaskRun run, CodexRecord task)
    {
        run.Status = TaskStatuses.Running;
        run.Clock.Start();
        var fields = new JsonObject { [TaskFields.StatusReason] = null, [TaskFields.FinishedAt] = null, [TaskFields.RunOwner] = TranscriptOwner.Current };
        if (TaskFields.Text(task.Fields, TaskFields.StartedAt) is null) fields[TaskFields.StartedAt] = TaskFields.Stamp(DateTimeOffset.UtcNow);
        records.Update(task.Id, TaskStatuses.Running, fields);
        await events.ChangedAsync(task.Id).ConfigureAwait(false);
    }

    private async Task<CodexRecord?> FinishAsync(TaskRun run, TaskEnd end)
    {
        await places.SettleAsync(run.TaskId, end.Status).ConfigureAwait(false);
        var elapsed = run.Clock.ElapsedMilliseconds;
        run.Clock.Reset(); // what this run took is in the record from here on, not counted twice
        CodexRecord? record = null;
        try
        {
            var stored = TaskFields.Number(records.Get(run.TaskId).Fields, TaskFields.ElapsedMs) ?? 0;
            var fields = new JsonObject
            {
                [TaskFields.StatusReason] = end.Reason,
                [TaskFields.FinishedAt] = TaskFields.Stamp(DateTimeOffset.UtcNow),
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

    /// <summary>A server that dropped the start of the prompt is told on the task, where the tree shows it.</summary>
    private async Task WarnIfTruncatedAsync(string id, SessionMessage answer)
    {
        if (answer.Parts.OfType<StepPart>().LastOrDefault()?.Truncation is not { } cut) return;
        records.Update(id, fields: new JsonObject { [TaskFields.ContextWarning] = cut.Message });
        await events.ChangedAsync(id).ConfigureAwait(false);
    }

    private void Waiting(TaskRun run, bool waiting, PendingApproval? pending)
    {
        run.Pending = waiting ? pending : null;
        run.Status = waiting ? TaskStatuses.WaitingApproval : TaskStatuses.Running;
        _ = events.ChangedAsync(run.TaskId);
    }

    private Task AddUserAsync(string id, string text) => turns.AddUserAsync(id, [new TextPart { Id = TranscriptIds.New(), Text = text }]);

    /// <summary>The report: the text after the answer's last tool traffic (the claude CLI's turn holds its whole tool loop).</summary>
    private static string FinalText(SessionMessage answer)
    {
        var parts = answer.Parts.ToList();
        var lastTool = parts.FindLastIndex(p => p is ToolUsePart or ToolResultPart);
        return string.Concat(parts.Skip(lastTool + 1).OfType<TextPart>().Select(p => p.Text)).Trim();
    }

    private static string Money(decimal usd) => usd.ToString("0.00##", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed unexpectedly")]
    private partial void LogRunFailed(string taskId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was deleted while it ran; its end is not recorded")]
    private partial void LogTaskGone(string taskId);
}
