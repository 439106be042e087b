using Microsoft.Extensions.AI;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Turns;

/// <summary>
/// What differs between the turns <see cref="TurnEngine"/> runs: a chat's (its queue, steer, title, /commands, plans and
/// mode stay with it) and a task's (its state, limits, steer, recovery and place). The engine calls these in order:
/// <see cref="StartAsync"/>, the prompt hooks, <see cref="PrepareAsync"/> (then it compacts when due and stores the
/// turn's message), <see cref="OpenAsync"/>, then for each model call <see cref="BeforeCallAsync"/>, the cap, compaction,
/// the answer, <see cref="AnsweredAsync"/>, its tool calls or Stop hooks, and, when the answer is the last word,
/// <see cref="FinishedAsync"/>. A value from any of them ends the turn with it.
/// </summary>
/// <typeparam name="TEnd">How the owner's turn ends: a chat's answer, a task's end.</typeparam>
public interface ITurnOwner<TEnd> where TEnd : class
{
    /// <summary>The transcript the turn writes: the chat's or the task's id.</summary>
    string Id { get; }

    /// <summary>The provider instance the turn runs on.</summary>
    string InstanceId { get; }

    /// <summary>How many model calls one turn may make before its answer is the last word (tool calls and Stop hooks left).</summary>
    int MaxModelCalls { get; }

    /// <summary>The spend cap that holds the turn's model calls (a task's, its own or an ancestor's); null: none (a chat).</summary>
    ITurnCap? Cap { get; }

    /// <summary>Readies the turn on its instance's connection: where it runs, and the prompt its hooks read (null: none, as for a regenerated answer or a resumed task).</summary>
    Task<TurnStart> StartAsync(ProviderConnection connection, CancellationToken cancellationToken);

    /// <summary>A UserPromptSubmit hook blocked the prompt (exit 2): how the turn ends, or throws.</summary>
    TEnd Blocked(string feedback);

    /// <summary>A spend cap was reached (<paramref name="reason"/>, in the user's words): how the turn ends.</summary>
    TEnd Capped(string reason);

    /// <summary>What the turn sends: its message with what its hooks said (<paramref name="notices"/>), its instructions and options, and how it compacts. Nothing is stored yet.</summary>
    Task<TurnPrepared> PrepareAsync(TurnPlace place, IReadOnlyList<HookPart> notices, CancellationToken cancellationToken);

    /// <summary>Opens the backend for the prepared turn, once its message is stored.</summary>
    Task<ITurnConversation> OpenAsync(TurnPrepared prepared, CancellationToken cancellationToken);

    /// <summary>Before each model call: what was typed meanwhile, and the limits; a value ends the turn.</summary>
    Task<TEnd?> BeforeCallAsync(CancellationToken cancellationToken);

    /// <summary>After each answer streamed: a value ends the turn (an answer that did not complete).</summary>
    Task<TEnd?> AnsweredAsync(SessionMessage answer, CancellationToken cancellationToken);

    /// <summary>The answer is the last word (no tool call, no Stop hook kept the turn going): a value ends the turn; null asks again.</summary>
    Task<TEnd?> FinishedAsync(SessionMessage answer, CancellationToken cancellationToken);
}

/// <summary>Where a turn runs, and what its prompt hooks read.</summary>
/// <param name="Folders">Where its tools and hooks work (a task's worktree); null: the workspace's folders.</param>
/// <param name="Prompt">The message its UserPromptSubmit hooks read; null: the turn sends none (no prompt hooks).</param>
/// <param name="First">The prompt is the conversation's first message: SessionStart hooks run before it.</param>
public sealed record TurnStart(IReadOnlyList<string>? Folders, Sandbox.SandboxPolicy? Sandbox, string? Prompt, bool First);

/// <summary>A prepared turn: the message it adds (null: none, as for a regenerated answer or a resumed task), the options each call sends, the instructions files sent so far (null: the owner turned them off, so none joins), and how its conversation compacts (null: never).</summary>
public sealed record TurnPrepared(List<MessagePart>? Message, ChatOptions Options, SentInstructions? Sent, CompactionRule? Compaction);

/// <summary>
/// A spend cap that holds a turn's model calls: the engine checks it before each call and after an answer that did not
/// complete, and counts each call against it as it streams, so the stream stops once the cap is reached.
/// </summary>
public interface ITurnCap
{
    /// <summary>Why the turn stops: the cap its spend reached, in the user's words; null while there is room.</summary>
    string? Reached();

    /// <summary>Starts counting one model call: its limit (null: no cap holds it now). Dispose it once the answer is stored.</summary>
    TurnCapCall Begin();
}

/// <summary>One model call counted against a cap: the limit its stream stops at, and what releases its count.</summary>
public sealed class TurnCapCall(Transcripts.SpendLimit? limit, IDisposable? release = null) : IDisposable
{
    public Transcripts.SpendLimit? Limit { get; } = limit;

    public void Dispose() => release?.Dispose();
}
