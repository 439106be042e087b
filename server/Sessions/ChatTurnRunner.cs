using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Plue.Codex.Prompts;
using Plue.Customizations;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// Runs one turn of a chat: stores the user's message, streams the assistant's answer from
/// the session's own instance and model into parts (persisted in small batches, sent to
/// the client as deltas), and records usage and cost. Cancelling keeps what arrived.
/// </summary>
public sealed partial class ChatTurnRunner(
    SessionService sessions,
    MessageStore messages,
    TranscriptTurns turns,
    InstanceResolver resolver,
    IChatTools tools,
    PromptLibrary prompts,
    ActiveTurns active,
    ChatQueue queue,
    SessionEvents events,
    ChatTitles titles,
    ChatModes modes,
    TranscriptCompaction compaction,
    Plue.Workspace.WorkspaceContext workspace,
    Plue.Customizations.CustomizationRegistry customizations,
    InstanceChecks checks,
    Plue.Context.ContextAttachments context,
    ChatPlans plans,
    Plue.Turns.TurnHooks hooks,
    Plue.Turns.TurnInstructions instructionFiles,
    Plue.Sandbox.SandboxPolicies sandboxes,
    ILogger<ChatTurnRunner> logger)
{
    /// <summary>How many model calls one turn with tools may make before it stops and shows what it has.</summary>
    public const int MaxModelCalls = 25;

    /// <summary>The longest system message: instructions, not a document (attach a file for that).</summary>
    public const int MaxSystemChars = 100_000;

    /// <summary>Keeps "is a turn running" and "queue a message" one step, so a message is never queued after its chat's last turn took the queue.</summary>
    private readonly Lock _gate = new();

    /// <summary>The <c>session/send</c> requests waiting for their queued message's answer, by the queued message's id.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SessionMessage>> _waiting = new(StringComparer.Ordinal);

    /// <summary>The chats whose running turn a steer stopped: their queue goes on when that turn ends (a Stop's does not).</summary>
    private readonly ConcurrentDictionary<string, bool> _steering = new(StringComparer.Ordinal);

    /// <param name="turn">The request's place among the sends written before it on its connection: a queued message joins the queue in that order.</param>
    public async Task<SessionMessage> SendAsync(string sessionId, string text, IReadOnlyList<Attachment>? attachments, CancellationToken cancellationToken, ArrivalTurn? turn = null)
    {
        if (string.IsNullOrWhiteSpace(text) && attachments is not { Count: > 0 }) throw RpcException.InvalidParams("text: say something, or attach something");
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        // @url and @codebase are fetched and searched now, so what cannot be had is refused before anything is stored or queued.
        attachments = await context.ResolveAsync(attachments, cancellationToken).ConfigureAwait(false);
        var images = (attachments ?? []).Where(a => a.Kind == AttachmentKind.Image).ToList();
        foreach (var image in images) ImageAttachments.Check(image);
        if (images.Count > 0 && sessions.ToSession(session) is { SupportsAttachments: false } textOnly)
            throw RpcException.InvalidParams($"attachments: {textOnly.ModelId} does not take images (says the catalog); change the model to send one");
        if (turn is not null) await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        CancellationTokenSource? running;
        string? queuedId = null;
        Task<QueuedMessage>? queuing = null;
        TaskCompletionSource<SessionMessage>? waiter = null;
        try
        {
            lock (_gate)
            {
                if (!active.TryStart(sessionId, cancellationToken, out running))
                {
                    // The chat is answering: the message waits in its queue (in the store) and is sent when the turn ends.
                    // Its waiter is there before its row, so the turn that takes it finds whom to answer.
                    queuedId = TranscriptIds.New();
                    waiter = new TaskCompletionSource<SessionMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiting[queuedId] = waiter;
                    queuing = queue.AddAsync(sessionId, text, attachments, queuedId);
                }
            }
        }
        finally
        {
            turn?.Pass();
        }
        if (queuing is null) return await SendNowAsync(sessionId, text, attachments, running!, cancellationToken).ConfigureAwait(false);
        QueuedMessage queued;
        try
        {
            queued = await queuing.ConfigureAwait(false);
        }
        catch
        {
            _waiting.TryRemove(queuedId!, out _);
            throw;
        }
        return await WaitForQueuedAsync(queued, waiter!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat's queue, in the order it will be sent.</summary>
    public IReadOnlyList<QueuedMessage> Queue(string sessionId) => queue.List(sessions.Record(sessionId).Id);

    public Task<QueuedMessage> EditQueuedAsync(string id, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw RpcException.InvalidParams("text: write the message, or remove it from the queue");
        return queue.EditAsync(id, text.Trim());
    }

    /// <summary>Takes a message out of the queue unsent; the request that queued it ends with -32800.</summary>
    public async Task<bool> RemoveQueuedAsync(string id)
    {
        if (await queue.RemoveAsync(id).ConfigureAwait(false) is null) return false;
        if (_waiting.TryRemove(id, out var waiter))
            waiter.TrySetException(new RpcException(ErrorCodes.RequestCancelled, "The message was taken out of the queue before it was sent"));
        return true;
    }

    /// <summary>
    /// Sends a queued message now: the running turn stops where it is (what arrived kept, as with Stop) and the message
    /// is the next turn, ahead of the rest of the queue; with no turn running it is sent at once.
    /// </summary>
    public async Task<SessionSteerResult> SteerAsync(string id)
    {
        string sessionId;
        bool interrupted;
        Task moved;
        // One step with the queue's taking: a message that has just become the running turn is not stopped by its own steer.
        lock (_gate)
        {
            sessionId = queue.Get(id).SessionId;
            moved = queue.MoveToFrontAsync(id);
            _steering[sessionId] = true;
            interrupted = active.Cancel(sessionId);
        }
        if (!interrupted)
        {
            _steering.TryRemove(sessionId, out _);
            _ = Task.Run(() => DrainAsync(sessionId), CancellationToken.None);
        }
        await moved.ConfigureAwait(false);
        return new SessionSteerResult { Interrupted = interrupted };
    }

    private async Task<SessionMessage> WaitForQueuedAsync(QueuedMessage queued, TaskCompletionSource<SessionMessage> waiter, CancellationToken cancellationToken)
    {
        try
        {
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The request was cancelled: its message leaves the queue, unless its turn has already started.
            _waiting.TryRemove(queued.Id, out _);
            await queue.RemoveAsync(queued.Id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends the first queued message of the chat, when no turn is running; its answer goes to the request that queued it.</summary>
    private async Task DrainAsync(string sessionId)
    {
        CancellationTokenSource? turn;
        Task<QueuedMessage?> taking;
        lock (_gate)
        {
            if (!active.TryStart(sessionId, CancellationToken.None, out turn)) return;
            // The row leaves the store now, under the gate; the change is told outside it.
            taking = queue.TakeFirstAsync(sessionId);
            if (taking is { IsCompletedSuccessfully: true, Result: null })
            {
                active.End(sessionId, turn);
                return;
            }
        }
        QueuedMessage? next;
        try
        {
            // An empty queue was seen under the gate above: TakeFirstAsync answers null before it waits for anything.
            next = await taking.ConfigureAwait(false) ?? throw new InvalidOperationException("the queue's first message went missing");
        }
        catch (Exception e)
        {
            lock (_gate) active.End(sessionId, turn);
            LogQueuedFailed(sessionId, e.Message);
            return;
        }
        _waiting.TryRemove(next.Id, out var waiter);
        try
        {
            var answer = await SendNowAsync(sessionId, next.Text, next.Attachments, turn, CancellationToken.None).ConfigureAwait(false);
            waiter?.TrySetResult(answer);
        }
        catch (Exception e)
        {
            if (waiter is null || !waiter.TrySetException(e)) LogQueuedFailed(sessionId, e.Message);
        }
    }

    /// <summary>A turn for the user's message, on a turn already claimed.</summary>
    private async Task<SessionMessage> SendNowAsync(string sessionId, string text, IReadOnlyList<Attachment>? attachments, CancellationTokenSource turn, CancellationToken cancellationToken)
    {
        string? provisional;
        var typed = text;
        TurnOverride? turnOverride = null;
        CommandUse? command = null;
        try
        {
            // A command from a file (/name args) sends its body with the arguments put in; its front matter applies to
            // this turn. Expanded when the message is sent, a queued one too (the file may have changed meanwhile).
            if (Plue.Customizations.CustomCommands.Find(customizations.Commands, text) is var (found, arguments))
            {
                (turnOverride, command) = await CommandTurnAsync(sessions.Record(sessionId), found, arguments, cancellationToken).ConfigureAwait(false);
                text = Plue.Customizations.CustomCommands.Expand(found.Body, arguments);
            }
            // A chat still called by the default name takes its first question as its title (as typed: "/review parser.cs",
            // not the command's body), then, after the first answer, a summary of the exchange (in the background: the
            // answer is not held up by it).
            var session = sessions.Record(sessionId);
            // A queued message waits for its turn: the chat may have been archived meanwhile.
            if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
            provisional = session.Title == SessionService.DefaultTitle && messages.NextSeq(sessionId) == 0 && !string.IsNullOrWhiteSpace(text)
                ? sessions.Rename(sessionId, ChatTitles.FromQuestion(typed)).Title
                : null;
        }
        catch
        {
            EndTurn(sessionId, turn);
            throw;
        }
        var parts = new List<MessagePart> { new TextPart { Id = TranscriptIds.New(), Text = text, Command = command } };
        parts.AddRange((attachments ?? []).Select(AttachmentPart));
        var answer = await RunAsync(sessionId, user: parts, cancellationToken, claimed: turn, turnOverride: turnOverride).ConfigureAwait(false);
        if (provisional is not null && answer.Status == MessageStatus.Complete)
            _ = Task.Run(() => titles.SummariseAsync(sessionId, provisional, CancellationToken.None), CancellationToken.None);
        return answer;
    }

    /// <summary>Ends a turn; its chat's queue goes on unless the turn was stopped (a steer's stop goes on).</summary>
    private void EndTurn(string sessionId, CancellationTokenSource turn)
    {
        var stopped = turn.IsCancellationRequested;
        lock (_gate) active.End(sessionId, turn);
        var steered = _steering.TryRemove(sessionId, out _);
        if ((!stopped || steered) && queue.Any(sessionId)) _ = Task.Run(() => DrainAsync(sessionId), CancellationToken.None);
    }

    /// <summary>Adds a system-role message to the chat; the next turn sends it as system content.</summary>
    public Task<SessionMessage> AddSystemAsync(string sessionId, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw RpcException.InvalidParams("text: write what the system message says");
        if (text.Length > MaxSystemChars) throw RpcException.InvalidParams($"text: a system message holds at most {MaxSystemChars:N0} characters; this one has {text.Length:N0}");
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        return turns.AddSystemAsync(sessionId, text.Trim());
    }

    /// <summary>Answers the last user message again; the earlier answer is kept, superseded.</summary>
    public Task<SessionMessage> RegenerateAsync(string sessionId, CancellationToken cancellationToken)
    {
        sessions.Record(sessionId);
        var lastUser = messages.Messages(sessionId).LastOrDefault(m => m.Role == MessageRole.User)
            ?? throw RpcException.InvalidParams("There is no message to answer again");
        return RunAsync(sessionId, user: null, cancellationToken, supersedeFrom: lastUser.Seq + 1);
    }

    /// <summary>Replaces a user message with new text and answers it; what followed is kept, superseded.</summary>
    public Task<SessionMessage> EditAndResendAsync(string sessionId, string messageId, string text, CancellationToken cancellationToken)
    {
        sessions.Record(sessionId);
        var original = messages.Message(messageId);
        if (original is null || original.SessionId != sessionId) throw PlueErrors.NotFound($"Message '{messageId}' is not in this chat");
        if (original.Role != MessageRole.User) throw RpcException.InvalidParams("Only your own messages can be edited");
        var parts = original.Parts.Select(p => p is TextPart t ? t with { Id = TranscriptIds.New(), Text = text } : p with { Id = TranscriptIds.New() }).ToList();
        if (!parts.OfType<TextPart>().Any()) parts.Insert(0, new TextPart { Id = TranscriptIds.New(), Text = text });
        return RunAsync(sessionId, user: parts, cancellationToken, supersedeFrom: original.Seq);
    }

    public bool Cancel(string sessionId) => active.Cancel(sessionId);

    /// <summary>Start on a plan: the chat goes into <paramref name="modeId"/> (Agent by default), the plan is marked started, and a turn carries it.</summary>
    public async Task<SessionMessage> StartPlanAsync(string sessionId, string? messageId, string? modeId, CancellationToken cancellationToken)
    {
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        var (message, plan) = plans.Find(session.Id, messageId)
            ?? throw RpcException.InvalidParams(messageId is null ? "This chat has no plan to start; ask for one in Plan mode first" : "That message has no plan to start; pick the answer that ends with the checklist");
        if (plan.StartedMode is not null) throw RpcException.InvalidParams("This plan was started already; its steps tick off in this chat as the agent does them");
        var target = modes.Find(modeId ?? ChatModes.Agent) ?? throw RpcException.InvalidParams($"mode: '{modeId}' is not a chat mode; pick one the chat's mode picker offers");
        if (target.Plans) throw RpcException.InvalidParams($"mode: {target.Name} only plans and changes nothing; start the plan in Agent mode or another mode that works");
        await sessions.SetModeAsync(new SessionSetModeParams { Id = session.Id, Mode = target.Id }, cancellationToken).ConfigureAwait(false);
        var started = await plans.StartAsync(message, plan, target.Id).ConfigureAwait(false);
        return await SendAsync(session.Id, ChatPlans.Handoff(started), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compacts the chat now (<c>/compact [focus]</c>), not while it answers.</summary>
    public async Task<SessionMessage> CompactAsync(string sessionId, string? focus, CancellationToken cancellationToken)
    {
        if (!active.TryStart(sessionId, cancellationToken, out var turn)) throw RpcException.InvalidParams("The chat is answering; stop it or wait, then compact");
        try
        {
            var record = sessions.Record(sessionId);
            var modelId = sessions.ModelId(record) ?? throw RpcException.InvalidParams("The chat has no model, and its provider no default model");
            // The same instructions a turn would send, so the summary keeps the instructions files' lines verbatim too.
            var (_, files, earlier) = TurnFiles(record, [], null, null);
            var instructions = Join(Instructions(record, Mode(record), files), SentInstructions.Prompt(earlier));
            return await compaction.CompactAsync(sessionId, resolver.Resolve(sessions.InstanceId(record)), CompactionModel(record) ?? modelId, instructions, focus?.Trim(), turn.Token).ConfigureAwait(false);
        }
        catch (ProviderException e)
        {
            // The documented -33003 with the provider's words, never an internal error; the chat is left whole.
            throw e.ToRpcException();
        }
        finally
        {
            EndTurn(sessionId, turn);
        }
    }

    /// <summary>Before a turn would pass the chat's share of its context window, the conversation so far is summarised; a failure leaves it whole.</summary>
    private async Task CompactIfDueAsync(Plue.Protocol.CodexRecord record, ProviderConnection connection, string modelId, string? instructions, List<MessagePart> user, CancellationToken cancellationToken)
    {
        var adding = string.Concat(user.Select(p => p switch { TextPart t => t.Text, FilePart { MimeType: null } f => f.Content, _ => null }));
        if (!compaction.Due(record.Id, instructions, adding, sessions.ToSession(record).ContextWindow, ChatRecordFields.Of(record.Fields).CompactAtPercent)) return;
        try
        {
            await compaction.CompactAsync(record.Id, connection, CompactionModel(record) ?? modelId, instructions, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCompactionFailed(record.Id, e.Message);
        }
    }

    private static string? CompactionModel(Plue.Protocol.CodexRecord record) =>
        ChatRecordFields.Of(record.Fields).CompactionModel?.Trim() is { Length: > 0 } model ? model : null;

    /// <summary>What a command's front matter changes for its turn: the model (when the chat's instance offers it), the mode (when it names one), the tools (narrowed to its list).</summary>
    private sealed record TurnOverride(string? ModelId, ModeSettings? Mode, IReadOnlyList<string>? Tools);

    /// <summary>The turn a command asks for, and what the chat shows of it (each change, and each request that could not apply with why).</summary>
    private async Task<(TurnOverride, CommandUse)> CommandTurnAsync(Plue.Protocol.CodexRecord session, Plue.Customizations.CustomCommand command, string arguments, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        string? model = null;
        if (command.Model is { } wanted && wanted != sessions.ModelId(session))
        {
            var instanceId = sessions.InstanceId(session);
            try
            {
                await checks.RequireOfferedAsync(instanceId, wanted, allowUnlisted: false, cancellationToken, "change the command's model").ConfigureAwait(false);
                model = wanted;
                notes.Add($"model {wanted}");
            }
            catch (RpcException)
            {
                notes.Add($"model {wanted} is not one the chat's provider offers; this turn uses {sessions.ModelId(session)}");
            }
        }
        ModeSettings? mode = null;
        if (command.Mode is { } modeName)
        {
            mode = modes.Named(modeName);
            notes.Add(mode is null ? $"mode {modeName} is not a chat mode here; this turn keeps the chat's" : $"mode {mode.Name}");
        }
        IReadOnlyList<string>? tools = null;
        if (command.Tools is { } named)
        {
            tools = Plue.Customizations.CustomCommands.PlueTools(named);
            notes.Add(tools.Count == 0 ? "no tools (none of its tools is one Plue has)" : $"tools only {string.Join(", ", tools)}");
        }
        var use = new CommandUse { Name = command.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = command.Source, Notes = notes.Count > 0 ? notes : null };
        return (new TurnOverride(model, mode, tools), use);
    }

    /// <summary>An agent file's model, for a chat in its mode, when the chat's instance offers it; null otherwise (the chat's model, and the log says why).</summary>
    private async Task<string?> AgentModelAsync(Plue.Protocol.CodexRecord record, ModeSettings? mode, CancellationToken cancellationToken)
    {
        if (mode?.PreferredModel is not { } wanted || wanted == sessions.ModelId(record)) return null;
        try
        {
            await checks.RequireOfferedAsync(sessions.InstanceId(record), wanted, allowUnlisted: false, cancellationToken, "change the agent file's model").ConfigureAwait(false);
            return wanted;
        }
        catch (RpcException e)
        {
            LogAgentModelNotOffered(mode.Name, wanted, e.Message);
            return null;
        }
    }

    /// <param name="claimed">The turn, when the caller claimed it already (a send, or a queued message).</param>
    private async Task<SessionMessage> RunAsync(string sessionId, List<MessagePart>? user, CancellationToken requestToken, int? supersedeFrom = null, CancellationTokenSource? claimed = null, TurnOverride? turnOverride = null)
    {
        var turn = claimed;
        if (turn is null && !active.TryStart(sessionId, requestToken, out turn))
            throw RpcException.InvalidParams("The chat is already answering; stop it or wait");
        try
        {
            var record = sessions.Record(sessionId);
            var instanceId = sessions.InstanceId(record);
            var mode = turnOverride?.Mode ?? Mode(record);
            var modelId = turnOverride?.ModelId ?? await AgentModelAsync(record, mode, turn.Token).ConfigureAwait(false) ?? sessions.ModelId(record)
                ?? throw RpcException.InvalidParams("The chat has no model, and its provider no default model");
            var connection = resolver.Resolve(instanceId);
            // On a Claude Code backend the CLI runs Claude Code's settings files' hooks itself: never twice. A message
            // its hooks block changes nothing, so they run before anything is stored or superseded.
            var claudeCode = connection.ProviderType == Catalog.ProviderTypes.ClaudeCode;
            // The chat's hooks run under the policy its other children do: its mode's, else the workspace's.
            var sandbox = sandboxes.Resolve(mode?.SandboxPolicy);
            var place = new Plue.Turns.TurnPlace(sessionId, null, sandbox, claudeCode);
            if (user is not null) await PromptHooksAsync(place, user, turn.Token).ConfigureAwait(false);
            // After a restart an Ollama chat learns its window again from /api/show (cached for the instance after that).
            if (connection.ProviderType == Catalog.ProviderTypes.Ollama) await sessions.LearnContextWindowAsync(record, turn.Token).ConfigureAwait(false);
            if (supersedeFrom is { } from) messages.Supersede(sessionId, from);
            var skipped = new List<string>();
            var why = new Dictionary<string, string>(StringComparer.Ordinal);
            var (sent, files, earlier) = TurnFiles(record, user ?? [], skipped, why);
            // The chat shows which instructions files the turn read, why the scoped ones, and which it could not, beside the message that asked.
            if (user is not null && sent.Files.Count + skipped.Count > 0) user.Add(Plue.Turns.TurnInstructions.Part(sent.Files, why, skipped));
            var granted = (mode?.Tools ?? []).Concat(mode?.McpTools ?? []).Concat(ChatSettings.Tools(record.Fields))
                .Concat(ChatRecordFields.Of(record.Fields).McpTools).Distinct(StringComparer.Ordinal).ToList();
            if (turnOverride?.Tools is { } only) granted = [.. granted.Where(only.Contains)];
            // A plan mode changes nothing, whatever its fields or the chat's own tools say; a turn carrying out a started
            // plan gets plan_update and the steps as they stand.
            string? planPrompt = null;
            if (mode?.Plans == true) granted = [.. granted.Where(ChatModes.PlanTools.Contains)];
            else if (plans.Active(sessionId) is { Plan: var active })
            {
                granted.Add(ChatPlans.ToolName);
                planPrompt = ChatPlans.Prompt(active);
            }
            // The skills' names and descriptions, for a turn that may read (the skill tool comes with read); never their bodies.
            // The scoped files that tool calls of earlier turns brought in come last, as they joined those turns.
            var instructions = Join(Instructions(record, mode, files), granted.Contains("read") ? Plue.Customizations.Skill.Prompt(customizations.Skills) : null, planPrompt,
                SentInstructions.Prompt(earlier));
            if (user is not null) await CompactIfDueAsync(record, connection, modelId, instructions, user, turn.Token).ConfigureAwait(false);
            if (user is not null) await turns.AddUserAsync(sessionId, user).ConfigureAwait(false);
            // ConversationId keys per-conversation backend state (the claude CLI's live process).
            var options = new ChatOptions { ModelId = modelId, Instructions = instructions, ConversationId = sessionId };
            ChatSettings.Apply(options, record.Fields, connection, sessions.Model(record));
            var toolTurn = await tools.OpenAsync(sessionId, granted, mode is { Plans: false } ? mode.AutoApprove : [], connection, options, turn.Token, mode?.SandboxPolicy).ConfigureAwait(false);
            await events.SessionChangedAsync(sessionId).ConfigureAwait(false);
            // With tools the sidecar runs, a turn is model calls until one answers without calling a tool.
            var stops = 0;
            for (var call = 1; ; call++)
            {
                var history = toolTurn.RunsCalls
                    ? ToolTranscript.Build(messages.Messages(sessionId), TranscriptBuilder.UserContents)
                    : TranscriptBuilder.Build(messages.Messages(sessionId));
                var answer = turns.StartAnswer(sessionId, connection, modelId);
                answer = await turns.StreamAnswerAsync(answer, connection, toolTurn.Client, history, options, turn.Token, ChatRecordFields.Of(record.Fields).FallbackChain).ConfigureAwait(false);
                if (answer.Status != MessageStatus.Complete) return answer;
                if (call < MaxModelCalls && await toolTurn.RunCallsAsync(answer, turn.Token).ConfigureAwait(false))
                {
                    if (ChatInstructions.Used(record)) await instructionFiles.JoinScopedAsync(place, sent, answer, options).ConfigureAwait(false);
                    continue;
                }
                // The answer is the last word, unless a Stop hook (exit 2) asks for more, a bounded number of times.
                if (call < MaxModelCalls && await hooks.StopAsync(place, answer, stops, turn.Token).ConfigureAwait(false))
                {
                    stops++;
                    continue;
                }
                // A plan mode's last answer keeps its checklist as the chat's plan.
                return mode?.Plans == true && await plans.RecordAsync(answer).ConfigureAwait(false) is not null
                    ? messages.Message(answer.Id) ?? answer
                    : answer;
            }
        }
        finally
        {
            EndTurn(sessionId, turn);
            await events.SessionChangedAsync(sessionId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The instructions files a turn starts with: those of the files in play (<see cref="ChatInstructions.Files"/>), then
    /// the scoped ones that tool calls of the chat's earlier turns brought in (Earlier); Sent holds both.
    /// </summary>
    private (SentInstructions Sent, IReadOnlyList<Plue.Workspace.InstructionsFile> Files, IReadOnlyList<Plue.Workspace.InstructionsFile> Earlier) TurnFiles(Plue.Protocol.CodexRecord record, IEnumerable<MessagePart> user,
        ICollection<string>? skipped, IDictionary<string, string>? why)
    {
        var transcript = messages.Messages(record.Id);
        var files = ChatInstructions.Files(record, transcript, user, workspace, customizations, skipped, why);
        var sent = new SentInstructions(files);
        return (sent, files, ChatInstructions.Used(record) ? instructionFiles.Touched(sent, transcript, null, skipped, why) : []);
    }

    /// <summary>
    /// The user's message passes its agent hooks (SessionStart on a chat's first message, then UserPromptSubmit). A hook
    /// that exits with 2 blocks it (nothing is stored or sent, and the user reads why); what the hooks printed joins the
    /// message for the model, and what they did is shown beside it.
    /// </summary>
    private async Task PromptHooksAsync(Plue.Turns.TurnPlace place, List<MessagePart> user, CancellationToken cancellationToken)
    {
        var prompt = string.Join("\n\n", user.OfType<TextPart>().Select(p => p.Text).Where(t => !string.IsNullOrEmpty(t)));
        var hooked = await hooks.PromptAsync(place, prompt, messages.NextSeq(place.Id) == 0, cancellationToken).ConfigureAwait(false);
        if (hooked.Blocked) throw RpcException.InvalidParams($"A UserPromptSubmit hook blocked the message, which was not sent: {hooked.Feedback}");
        user.AddRange(hooked.Notices);
    }

    /// <summary>The chat's system prompt, then the text of its context files (each turn sees them as they are now).</summary>
    private string? SystemPrompt(Plue.Protocol.CodexRecord session)
    {
        var fields = ChatRecordFields.Of(session.Fields);
        var prompt = fields.SystemPromptOverride ?? PromptFile(fields);
        var files = fields.ContextFiles.Select(ContextFile).OfType<string>().ToList();
        if (files.Count == 0) return prompt;
        return string.Join("\n\n", new[] { prompt, "The user keeps these files in this conversation's context:" }.OfType<string>().Concat(files));
    }

    private ModeSettings? Mode(Plue.Protocol.CodexRecord record) =>
        ChatRecordFields.Of(record.Fields).Mode is { } modeId ? modes.Find(modeId) : null;

    /// <summary>What a turn sends as instructions, and compaction keeps verbatim: the system prompt, the mode's and the instructions files'.</summary>
    private string? Instructions(Plue.Protocol.CodexRecord record, ModeSettings? mode, IReadOnlyList<Plue.Workspace.InstructionsFile> files) =>
        Join(SystemPrompt(record), mode?.SystemPrompt, Plue.Workspace.InstructionsFiles.Prompt(files));

    private static string? Join(params string?[] sections) => Plue.Turns.TurnInstructions.Join(sections);

    private string? PromptFile(ChatRecordFields chat)
    {
        if (chat.SystemPromptRef is not { } reference) return null;
        try
        {
            return prompts.Get(reference).Content;
        }
        catch (RpcException e)
        {
            // A missing prompt file must not stop the chat; the log says why the model has none.
            LogPromptMissing(reference, e.Message);
            return null;
        }
    }

    /// <summary>A context file as the model reads it, from inside a workspace folder only; null (and a log line) when it cannot be read.</summary>
    private string? ContextFile(string reference)
    {
        const int MaxBytes = 256 * 1024;
        try
        {
            if (reference.StartsWith(Codex.References.CodexReference.Scheme, StringComparison.Ordinal))
                return AttachedFile.Text(new FilePart { Id = "", Path = reference, Content = prompts.Get(reference).Content });
            foreach (var folder in workspace.Folders)
            {
                if (Codex.Content.ConfinedPath.Resolve(folder, reference) is not { } path || !File.Exists(path)) continue;
                return AttachedFile.Text(new FilePart { Id = "", Path = reference, Content = Codex.Content.ContentFile.Read(folder, reference, MaxBytes) });
            }
            throw new FileNotFoundException("not found inside a workspace folder");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RpcException or Codex.Content.ContentFileException)
        {
            LogContextFileSkipped(reference, e.Message);
            return null;
        }
    }

    private static FilePart AttachmentPart(Attachment a) => new()
    {
        Id = TranscriptIds.New(),
        Path = a.Path,
        Content = a.Kind == AttachmentKind.Image ? a.Data : a.Content,
        Language = a.Language,
        Range = a.Range,
        MimeType = a.MimeType,
        Note = a.Note,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent mode {Mode}: its model {Model} is not one the chat's provider offers ({Reason}); the turn uses the chat's model")]
    private partial void LogAgentModelNotOffered(string mode, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queued message of chat {SessionId} was not answered: {Reason}")]
    private partial void LogQueuedFailed(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {SessionId} was not compacted ({Reason}); the turn goes on with the whole conversation")]
    private partial void LogCompactionFailed(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Context file {Reference} is left out of the turn: {Reason}")]
    private partial void LogContextFileSkipped(string reference, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "System prompt {Reference} cannot be read ({Reason}); the chat goes on without it")]
    private partial void LogPromptMissing(string reference, string reason);
}
