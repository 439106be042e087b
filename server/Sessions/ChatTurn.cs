using Microsoft.Extensions.AI;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Turns;

namespace Plue.Sessions;

/// <summary>What a chat's turns need from the rest of the sidecar (one registration, shared by every turn).</summary>
public sealed record ChatTurnServices(SessionService Sessions, MessageStore Messages, TranscriptTurns Turns, IChatTools Tools, ChatPlans Plans, SessionEvents Events,
    Sandbox.SandboxPolicies Sandboxes, ChatTurnSetup Setup, CustomizationRegistry Customizations);

/// <summary>
/// A chat as the owner of one turn (<see cref="TurnEngine"/>): its mode and model (a command's, the mode's agent file's,
/// else the chat's), the user's message with its instructions files and hooks' notices, its tools (the mode's, the
/// chat's, a plan's), its compaction rule (its window, share and model), and at the end a Plan mode's checklist kept as the chat's plan.
/// </summary>
/// <param name="user">The message the turn answers; null to answer the last one again.</param>
/// <param name="supersedeFrom">The answers from this position on are kept, superseded (an edit, a regenerate).</param>
internal sealed class ChatTurn(ChatTurnServices s, string sessionId, List<MessagePart>? user, int? supersedeFrom, ChatTurnOverride? turnOverride) : ITurnOwner<SessionMessage>
{
    /// <summary>How many model calls one turn with tools may make before it stops and shows what it has.</summary>
    public const int MaxCalls = 25;

    private readonly CodexRecord _record = s.Sessions.Record(sessionId);
    private ModeSettings? _mode;
    private string? _modelId;
    private ProviderConnection? _connection;
    private (List<string> Granted, string? PlanPrompt)? _tools;

    public string Id => sessionId;

    public string InstanceId => s.Sessions.InstanceId(_record);

    public int MaxModelCalls => MaxCalls;

    /// <summary>A chat has no spend cap: what it spends is shown, never stopped.</summary>
    public ITurnCap? Cap => null;

    public async Task<TurnStart> StartAsync(ProviderConnection connection, CancellationToken cancellationToken)
    {
        _connection = connection;
        _mode = turnOverride?.Mode ?? s.Setup.Mode(_record);
        _modelId = turnOverride?.ModelId ?? await s.Setup.AgentModelAsync(_record, _mode, cancellationToken).ConfigureAwait(false) ?? s.Sessions.ModelId(_record)
            ?? throw RpcException.InvalidParams("The chat has no model, and its provider no default model");
        // The chat's hooks run under the policy its other children do: its mode's, else the workspace's.
        var prompt = user is null ? null : string.Join("\n\n", user.OfType<TextPart>().Select(p => p.Text).Where(t => !string.IsNullOrEmpty(t)));
        return new TurnStart(null, s.Sandboxes.Resolve(_mode?.SandboxPolicy), prompt, First: s.Messages.NextSeq(sessionId) == 0);
    }

    public SessionMessage Blocked(string feedback) => throw RpcException.InvalidParams($"A UserPromptSubmit hook blocked the message, which was not sent: {feedback}");

    public SessionMessage Capped(string reason) => throw new InvalidOperationException("a chat has no spend cap");

    public async Task<TurnPrepared> PrepareAsync(TurnPlace place, IReadOnlyList<HookPart> notices, CancellationToken cancellationToken)
    {
        var (connection, mode, modelId) = (_connection!, _mode, _modelId!);
        user?.AddRange(notices);
        // After a restart an Ollama chat learns its window again from /api/show (cached for the instance after that).
        if (connection.ProviderType == Catalog.ProviderTypes.Ollama) await s.Sessions.LearnContextWindowAsync(_record, cancellationToken).ConfigureAwait(false);
        if (supersedeFrom is { } from) s.Messages.Supersede(sessionId, from);
        var skipped = new List<string>();
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        var (sent, files, earlier) = s.Setup.TurnFiles(_record, user ?? [], skipped, why);
        // The chat shows which instructions files the turn read, why the scoped ones, and which it could not, beside the message that asked.
        if (user is not null && sent.Files.Count + skipped.Count > 0) user.Add(TurnInstructions.Part(sent.Files, why, skipped));
        _tools = Tools();
        // The skills' names and descriptions, for a turn that may read (the skill tool comes with read); never their bodies.
        // The scoped files that tool calls of earlier turns brought in come last, as they joined those turns.
        var instructions = TurnInstructions.Join(s.Setup.Instructions(_record, mode, files), _tools.Value.Granted.Contains("read") ? Skill.Prompt(s.Customizations.Skills) : null,
            _tools.Value.PlanPrompt, SentInstructions.Prompt(earlier));
        // ConversationId keys per-conversation backend state (the claude CLI's live process).
        var options = new ChatOptions { ModelId = modelId, Instructions = instructions, ConversationId = sessionId };
        ChatSettings.Apply(options, _record.Fields, connection, s.Sessions.Model(_record));
        // A regenerated answer is not compacted: its question, already stored, would go into the summary.
        var compaction = user is null ? null
            : new CompactionRule(s.Sessions.ToSession(_record).ContextWindow, ChatRecordFields.Of(_record.Fields).CompactAtPercent, ChatTurnSetup.CompactionModel(_record) ?? modelId);
        return new TurnPrepared(user, options, ChatInstructions.Used(_record) ? sent : null, compaction);
    }

    public async Task<ITurnConversation> OpenAsync(TurnPrepared prepared, CancellationToken cancellationToken)
    {
        var (connection, mode, granted) = (_connection!, _mode, _tools!.Value.Granted);
        var toolTurn = await s.Tools.OpenAsync(sessionId, granted, mode is { Plans: false } ? mode.AutoApprove : [], connection, prepared.Options, cancellationToken, mode?.SandboxPolicy)
            .ConfigureAwait(false);
        await s.Events.SessionChangedAsync(sessionId).ConfigureAwait(false);
        return new ChatConversation(s, sessionId, connection, _modelId!, toolTurn, prepared.Options, ChatRecordFields.Of(_record.Fields).FallbackChain);
    }

    public Task<SessionMessage?> BeforeCallAsync(CancellationToken cancellationToken) => Task.FromResult<SessionMessage?>(null);

    /// <summary>An answer that did not complete (stopped, failed) ends the turn as it is.</summary>
    public Task<SessionMessage?> AnsweredAsync(SessionMessage answer, CancellationToken cancellationToken) =>
        Task.FromResult(answer.Status != MessageStatus.Complete ? answer : null);

    /// <summary>A plan mode's last answer keeps its checklist as the chat's plan.</summary>
    public async Task<SessionMessage?> FinishedAsync(SessionMessage answer, CancellationToken cancellationToken) =>
        _mode?.Plans == true && await s.Plans.RecordAsync(answer).ConfigureAwait(false) is not null
            ? s.Messages.Message(answer.Id) ?? answer
            : answer;

    /// <summary>
    /// The turn's tools: its mode's and the chat's, narrowed by a command's. A plan mode changes nothing, whatever its
    /// fields or the chat's own tools say; a turn carrying out a started plan gets plan_update and the steps as they stand.
    /// </summary>
    private (List<string> Granted, string? PlanPrompt) Tools()
    {
        var granted = (_mode?.Tools ?? []).Concat(_mode?.McpTools ?? []).Concat(ChatSettings.Tools(_record.Fields))
            .Concat(ChatRecordFields.Of(_record.Fields).McpTools).Distinct(StringComparer.Ordinal).ToList();
        if (turnOverride?.Tools is { } only) granted = [.. granted.Where(only.Contains)];
        if (_mode?.Plans == true) return ([.. granted.Where(ChatModes.PlanTools.Contains)], null);
        if (s.Plans.Active(sessionId) is not { Plan: var active }) return (granted, null);
        granted.Add(ChatPlans.ToolName);
        return (granted, ChatPlans.Prompt(active));
    }

    /// <summary>A chat's backend for the turn: with tools the sidecar runs, the history replays tool traffic; the CLI's process outlives the turn.</summary>
    private sealed class ChatConversation(ChatTurnServices s, string sessionId, ProviderConnection connection, string modelId, ChatToolTurn toolTurn, ChatOptions options,
        IReadOnlyList<ModelFallback>? fallbacks) : ITurnConversation
    {
        public Task<SessionMessage> AskAsync(SpendLimit? limit, CancellationToken cancellationToken)
        {
            var history = toolTurn.RunsCalls
                ? ToolTranscript.Build(s.Messages.Messages(sessionId), TranscriptBuilder.UserContents)
                : TranscriptBuilder.Build(s.Messages.Messages(sessionId));
            var answer = s.Turns.StartAnswer(sessionId, connection, modelId);
            return s.Turns.StreamAnswerAsync(answer, connection, toolTurn.Client, history, options, cancellationToken, fallbacks, limit);
        }

        public Task<bool> RunToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken) => toolTurn.RunCallsAsync(answer, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
