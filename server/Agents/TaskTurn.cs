using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Agents.Backends;
using Plue.Agents.Tools;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Turns;

namespace Plue.Agents;

/// <summary>What a task's turns need from the rest of the sidecar (one registration, shared by every run).</summary>
public sealed record TaskTurnServices(TaskRecords Records, SpendCaps Caps, TaskEvents Events, TaskGrants Grants, TaskBrief Brief, MessageStore Messages,
    TranscriptTurns Turns, TaskBackends Backends, TaskPlaces Places, TaskQueue Queue, TurnInstructions Instructions, Backends.TaskModelTurn ModelTurn);

/// <summary>
/// A task as the owner of its turns (<see cref="TurnEngine"/>): its place (the workspace, or its worktree, entered for
/// the run and left at its end), its goal as the first message (a command's body when typed as <c>/name args</c>),
/// its backend opened with the grant's tools, and between model calls what was steered or queued, its turn limit and
/// spend cap; an answer with no tool call is its report, unless the user steered meanwhile.
/// </summary>
/// <param name="pickUp">On a resumed run: picks up what the last run left (its unanswered calls, its stopped sub-tasks).</param>
internal sealed class TaskTurn(TaskTurnServices s, TaskRun run, bool resumed, Func<TaskRun, CodexRecord, ITaskConversation, Task> pickUp) : ITurnOwner<TaskEnd>, IDisposable
{
    private CodexRecord _task = s.Records.Get(run.TaskId);
    private bool _begun;
    private TaskCommand? _command;
    private ProviderConnection? _connection;
    private ITaskBackend? _backend;
    private ToolGrant? _grant;
    private TaskPlace? _place;
    private TaskCap? _cap;

    public string Id => run.TaskId;

    public string InstanceId => s.Records.InstanceId(_task);

    /// <summary>A task's turns are bounded by its own <c>max_turns</c> (<see cref="Limit"/>), checked before each call.</summary>
    public int MaxModelCalls => int.MaxValue;

    /// <summary>The spend caps that hold the task, its own and its ancestors' (<see cref="TaskCap"/>).</summary>
    public ITurnCap? Cap => _cap ??= new TaskCap(s.Caps, () => s.Records.Get(Id));

    public async Task<TurnStart> StartAsync(ProviderConnection connection, CancellationToken cancellationToken)
    {
        _connection = connection;
        _begun = s.Messages.NextSeq(Id) > 0;
        // A goal typed as /name args sends the command's body, and its front matter changes the task as it changes a
        // chat's turn: written into the record before the first run, so a resumed run keeps them.
        _command = _begun ? null : await s.Brief.CommandAsync(_task, connection.InstanceId, cancellationToken).ConfigureAwait(false);
        if (_command is { Fields.Count: > 0 }) _task = s.Records.Update(Id, fields: _command.Fields);
        _ = TaskRecordFields.Of(_task.Fields).ModelId ?? throw RpcException.InvalidParams("The task has no model_id");
        _backend = s.Backends.For(connection);
        var grant = s.Grants.For(_task, _backend.RunsOwnTools, Waiting);
        // A tree over its spend cap makes no new container: the task pauses at the cap before it gets one.
        if (s.Places.InContainer(_task) && Cap?.Reached() is { } capped) throw new TaskCapReachedException(capped);
        _place = await s.Places.EnterAsync(_task, grant, _backend.RunsOwnTools, cancellationToken).ConfigureAwait(false);
        _grant = grant with { Folders = _place.Folders, Container = _place.Container, RunsIn = _place.Container?.Info is { } c ? Containers.TaskContainers.RunsIn(c) : null };
        await s.Events.MarkRunningAsync(run).ConfigureAwait(false);
        var goal = _command?.Goal ?? TaskRecordFields.Of(_task.Fields).Goal ?? "";
        return new TurnStart(_place.Folders, _grant.Sandbox, _begun ? null : goal, First: true);
    }

    public TaskEnd Blocked(string feedback) => TaskEnd.Failed($"A UserPromptSubmit hook blocked the goal, which was not sent: {feedback}");

    public TaskEnd Capped(string reason) => new(TaskStatuses.Paused, reason);

    public Task<TurnPrepared> PrepareAsync(TurnPlace place, IReadOnlyList<HookPart> notices, CancellationToken cancellationToken)
    {
        var (connection, backend, grant) = (_connection!, _backend!, _grant!);
        var modelId = TaskRecordFields.Of(_task.Fields).ModelId!;
        List<MessagePart>? first = null;
        if (!_begun)
        {
            var described = s.Grants.Describe(_task, grant, backend.RunsOwnTools);
            var menu = Menu(s.Brief.Models(described, connection.InstanceId, modelId), s.Brief.Agents(described));
            first = [new TextPart { Id = TranscriptIds.New(), Text = TaskBrief.FirstMessage(_task, described, menu, _command?.Goal), Command = _command?.Use }, .. notices];
        }
        // ConversationId keys the claude CLI's process; HTTP backends ignore it.
        // A resumed task's prompt ends with the scoped files its earlier tool calls brought in, as they joined.
        var earlier = _begun ? (Func<SentInstructions, IReadOnlyList<Plue.Workspace.InstructionsFile>>)(sent => s.Instructions.Touched(sent, s.Messages.Messages(Id), grant.Folders)) : null;
        var options = new ChatOptions { ModelId = modelId, Instructions = s.Brief.SystemPrompt(_task, grant, out var sent, earlier), ConversationId = Id };
        // A task has no sampling settings of its own: its instance's defaults are its (reasoning only where the wire format needs no model facts).
        connection.Defaults.ApplyTo(options, connection.ProviderType, null);
        return Task.FromResult(new TurnPrepared(first, options, sent, s.ModelTurn.Compaction(_task, connection, modelId)));
    }

    public async Task<ITurnConversation> OpenAsync(TurnPrepared prepared, CancellationToken cancellationToken)
    {
        var conversation = await _backend!.OpenAsync(_task, _connection!, _grant!, prepared.Options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_begun && resumed) await pickUp(run, _task, conversation).ConfigureAwait(false);
        }
        catch
        {
            await conversation.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return conversation;
    }

    public async Task<TaskEnd?> BeforeCallAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        run.SteersRead(); // stored when typed (TaskControl.SteerAsync): the transcript holds them already
        // The turn has ended: what was queued meanwhile (or before a restart) is sent, and the model reads it now.
        await s.Queue.SendAllAsync(Id).ConfigureAwait(false);
        _task = s.Records.Get(Id); // limits may have been edited meanwhile
        return Limit(_task);
    }

    /// <summary>An answer that did not complete fails the task (unless a spend cap stopped it: the engine pauses it then).</summary>
    public async Task<TaskEnd?> AnsweredAsync(SessionMessage answer, CancellationToken cancellationToken)
    {
        await WarnIfTruncatedAsync(answer).ConfigureAwait(false);
        s.Events.CostChanged(Id);
        if (await StopAtCapAsync(answer).ConfigureAwait(false) is { } capped) return capped;
        cancellationToken.ThrowIfCancellationRequested();
        return answer.Status == MessageStatus.Complete ? null : TaskEnd.Failed(answer.Error ?? $"The model's answer ended {answer.Status.ToString().ToLowerInvariant()}");
    }

    /// <summary>
    /// An answer that reached a spend cap stops the containers of the capped task's subtree at once: a command running
    /// in one (a sibling's long <c>bash</c>) does not run on until its task's next model call. This task's own
    /// container went too, so the calls of its answer are not run now: it pauses, and a resume picks them up.
    /// </summary>
    private async Task<TaskEnd?> StopAtCapAsync(SessionMessage answer)
    {
        if (s.Caps.Find(s.Records.Get(Id)) is not { } reached) return null;
        await s.Places.StopAtCapAsync(reached.Holder.Id,
            $"Stopped: {reached.Holder.Title} reached its spend cap, so the containers of its tasks were stopped, this command with them").ConfigureAwait(false);
        return _place?.Container is not null && answer.Parts.OfType<ToolUsePart>().Any() && Cap?.Reached() is { } reason ? Capped(reason) : null;
    }

    /// <summary>No tool call: the final report, unless the user steered meanwhile (then the model reads that first).</summary>
    public Task<TaskEnd?> FinishedAsync(SessionMessage answer, CancellationToken cancellationToken) =>
        Task.FromResult(run.TryClose() ? new TaskEnd(TaskStatuses.Completed, null, FinalText(answer)) : null);

    /// <summary>Leaves the task's place (its worktree's turn) when the run ends.</summary>
    public void Dispose() => _place?.Dispose();

    /// <summary>The turn limit that stops the task before its next model call (its spend caps are <see cref="Cap"/>, checked by the engine).</summary>
    private TaskEnd? Limit(CodexRecord task)
    {
        var maxTurns = TaskRecordFields.Of(task.Fields).MaxTurns ?? 40;
        return s.Messages.Count(task.Id, MessageRole.Assistant) >= maxTurns
            ? TaskEnd.Failed($"Reached its limit of {maxTurns} model turns without a final report; raise max_turns and resume it to go on")
            : null;
    }

    /// <summary>A server that dropped the start of the prompt is told on the task, where the tree shows it.</summary>
    private async Task WarnIfTruncatedAsync(SessionMessage answer)
    {
        if (answer.Parts.OfType<StepPart>().LastOrDefault()?.Truncation is not { } cut) return;
        s.Records.Update(Id, fields: new JsonObject { [TaskFields.ContextWarning] = cut.Message });
        await s.Events.ChangedAsync(Id).ConfigureAwait(false);
    }

    private void Waiting(bool waiting, PendingApproval? pending)
    {
        run.Pending = waiting ? pending : null;
        run.Status = waiting ? TaskStatuses.WaitingApproval : TaskStatuses.Running;
        _ = s.Events.ChangedAsync(Id);
    }

    /// <summary>The report: the text after the answer's last tool traffic (the claude CLI's turn holds its whole tool loop).</summary>
    private static string FinalText(SessionMessage answer)
    {
        var parts = answer.Parts.ToList();
        // A result of no call (what the sandbox refused the agent outside its calls) ends no tool traffic.
        var lastTool = parts.FindLastIndex(p => p is ToolUsePart or ToolResultPart { ToolCallId: not null });
        return string.Concat(parts.Skip(lastTool + 1).OfType<TextPart>().Select(p => p.Text)).Trim();
    }

    /// <summary>What a spawning task may choose from: the models, then the agent files it may start by name.</summary>
    private static string? Menu(string? models, string? agents) =>
        models is null ? agents : agents is null ? models : models + "\n\n" + agents;
}
