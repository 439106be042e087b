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
    TaskTree tree,
    TaskQueue queue,
    Turns.TurnHooks hooks,
    Turns.TurnInstructions instructionFiles,
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
        var begun = messages.NextSeq(id) > 0;
        // A goal typed as /name args sends the command's body, and its front matter changes the task as it changes a
        // chat's turn: written into the record before the first run, so a resumed run keeps them.
        var command = begun ? null : await brief.CommandAsync(task, connection.InstanceId, run.Token).ConfigureAwait(false);
        if (command is { Fields.Count: > 0 }) task = records.Update(id, fields: command.Fields);
        var modelId = TaskRecordFields.Of(task.Fields).ModelId ?? throw RpcException.InvalidParams("The task has no model_id");
        var backend = backends.For(connection);
        var grant = grants.For(task, backend.RunsOwnTools, (waiting, pending) => Waiting(run, waiting, pending));
        using var place = await places.EnterAsync(task, grant, backend.RunsOwnTools, run.Token).ConfigureAwait(false);
        grant = grant with { Folders = place.Folders };
        await MarkRunningAsync(run, task).ConfigureAwait(false);
        // On a Claude Code backend the CLI runs Claude Code's settings files' hooks itself: never twice.
        var turnPlace = new Turns.TurnPlace(id, place.Folders, grant.Sandbox, connection.ProviderType == Catalog.ProviderTypes.ClaudeCode);
        if (!begun)
        {
            var described = grants.Describe(task, grant, backend.RunsOwnTools);
            var goal = command?.Goal ?? TaskRecordFields.Of(task.Fields).Goal ?? "";
            var hooked = await hooks.PromptAsync(turnPlace, goal, first: true, run.Token).ConfigureAwait(false);
            if (hooked.Blocked) return TaskEnd.Failed($"A UserPromptSubmit hook blocked the goal, which was not sent: {hooked.Feedback}");
            var text = TaskBrief.FirstMessage(task, described, Menu(brief.Models(described, connection.InstanceId, modelId), brief.Agents(described)), command?.Goal);
            await turns.AddUserAsync(id, [new TextPart { Id = TranscriptIds.New(), Text = text, Command = command?.Use }, .. hooked.Notices]).ConfigureAwait(false);
        }

        // ConversationId keys the claude CLI's process; HTTP backends ignore it.
        var options = new ChatOptions { ModelId = modelId, Instructions = brief.SystemPrompt(task, grant, out var sent, begun ? messages.Messages(id) : null), ConversationId = id };
        // A task has no sampling settings of its own: its instance's defaults are its (reasoning only where the wire format needs no model facts).
        connection.Defaults.ApplyTo(options, connection.ProviderType, null);
        await using var conversation = await backend.OpenAsync(task, connection, grant, options, run.Token).ConfigureAwait(false);
        if (begun && resumed) await PickUpAsync(run, task, conversation).ConfigureAwait(false);
        var stops = 0;
        while (true)
        {
            run.Token.ThrowIfCancellationRequested();
            run.SteersRead(); // stored when typed (TaskControl.SteerAsync): the transcript holds them already
            // The turn has ended: what was queued meanwhile (or before a restart) is sent, and the model reads it now.
            await queue.SendAllAsync(id).ConfigureAwait(false);
            task = records.Get(id); // limits may have been edited meanwhile
            if (Limit(task) is { } stop) return stop;

            var answer = await conversation.AskAsync(run.Token).ConfigureAwait(false);
            await WarnIfTruncatedAsync(id, answer).ConfigureAwait(false);
            events.CostChanged(id);
            run.Token.ThrowIfCancellationRequested();
            // A call stopped at a spend cap pauses the task as the cap does between calls.
            if (answer.Status != MessageStatus.Complete && Cap(records.Get(id)) is { } capped) return capped;
            if (answer.Status != MessageStatus.Complete) return TaskEnd.Failed(answer.Error ?? $"The model's answer ended {answer.Status.ToString().ToLowerInvariant()}");
            if (await conversation.RunToolCallsAsync(answer, run.Token).ConfigureAwait(false))
            {
                await instructionFiles.JoinScopedAsync(turnPlace, sent, answer, options).ConfigureAwait(false);
                continue;
            }
            // A Stop hook (exit 2) may ask for more before the report, a bounded number of times per run.
            if (await hooks.StopAsync(turnPlace, answer, stops, run.Token).ConfigureAwait(false))
            {
                stops++;
                continue;
            }
            // No tool call: the final report, unless the user steered meanwhile (then the model reads that first).
            if (run.TryClose()) return new TaskEnd(TaskStatuses.Completed, null, FinalText(answer));
        }
    }

    /// <summary>A limit that stops the task before its next model call: its turns, or a spend cap (its own or an ancestor's, sub-tasks included).</summary>
    private TaskEnd? Limit(CodexRecord task)
    {
        var maxTurns = TaskRecordFields.Of(task.Fields).MaxTurns ?? 40;
        if (messages.Count(task.Id, MessageRole.Assistant) >= maxTurns)
            return TaskEnd.Failed($"Reached its limit of {maxTurns} model turns without a final report; raise max_turns and resume it to go on");
        return Cap(task);
    }

    /// <summary>A spend cap, the task's own or an ancestor's, that its tree has reached: it pauses the task.</summary>
    private TaskEnd? Cap(CodexRecord task)
    {
        if (caps.Find(task) is not { } reached) return null;
        if (reached.Holder.Id == task.Id)
            return new TaskEnd(TaskStatuses.Paused,
                $"Spend cap reached: ${Money(reached.Spent)} of ${Money(reached.Cap)} spent, sub-tasks included{SpendCaps.Unpriced(reached)}; resume it with a higher spendCapUsd to go on");
        return new TaskEnd(TaskStatuses.Paused,
            $"Paused: {reached.Holder.Title} reached its spend cap of ${Money(reached.Cap)} (${Money(reached.Spent)} spent with its sub-tasks{SpendCaps.Unpriced(reached)}); " +
            "it goes on when that task is resumed with a higher cap");
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

    private async Task MarkRunningAsync(TaskRun run, CodexRecord task)
    {
        run.Status = TaskStatuses.Running;
        run.Clock.Start();
        var fields = new JsonObject { [TaskFields.StatusReason] = null, [TaskFields.FinishedAt] = null, [TaskFields.RunOwner] = TranscriptOwner.Current };
        if (TaskRecordFields.Of(task.Fields).StartedAt is null) fields[TaskFields.StartedAt] = FieldTime.Stamp(DateTimeOffset.UtcNow);
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

    /// <summary>What a spawning task may choose from: the models, then the agent files it may start by name.</summary>
    private static string? Menu(string? models, string? agents) =>
        models is null ? agents : agents is null ? models : models + "\n\n" + agents;

    private static string Money(decimal usd) => usd.ToString("0.00##", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed unexpectedly")]
    private partial void LogRunFailed(string taskId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was deleted while it ran; its end is not recorded")]
    private partial void LogTaskGone(string taskId);
}
