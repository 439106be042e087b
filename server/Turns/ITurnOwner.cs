using Microsoft.Extensions.AI;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Turns;

/// <summary>
/// What differs between the turns <see cref="TurnEngine"/> runs: a chat's (its queue, steer, title, /commands, plans and
/// mode stay with it) and a task's (its state, limits, spend cap, steer, recovery and place). The engine calls these in
/// order: <see cref="StartAsync"/>, the prompt hooks, <see cref="OpenAsync"/>, then for each model call
/// <see cref="BeforeCallAsync"/>, the answer, <see cref="AnsweredAsync"/>, its tool calls or Stop hooks, and, when the
/// answer is the last word, <see cref="FinishedAsync"/>. A value from any of them ends the turn with it.
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

    /// <summary>Readies the turn on its instance's connection: where it runs, and the prompt its hooks read (null: none, as for a regenerated answer or a resumed task).</summary>
    Task<TurnStart> StartAsync(ProviderConnection connection, CancellationToken cancellationToken);

    /// <summary>A UserPromptSubmit hook blocked the prompt (exit 2): how the turn ends, or throws.</summary>
    TEnd Blocked(string feedback);

    /// <summary>Stores the prompt with what its hooks said (<paramref name="notices"/>), and opens the backend with the turn's instructions.</summary>
    Task<TurnOpened> OpenAsync(TurnPlace place, IReadOnlyList<HookPart> notices, CancellationToken cancellationToken);

    /// <summary>Before each model call: what was typed meanwhile, and the limits; a value ends the turn.</summary>
    Task<TEnd?> BeforeCallAsync(CancellationToken cancellationToken);

    /// <summary>After each answer streamed: a value ends the turn (an answer that did not complete, a spend cap reached).</summary>
    Task<TEnd?> AnsweredAsync(SessionMessage answer, CancellationToken cancellationToken);

    /// <summary>The answer is the last word (no tool call, no Stop hook kept the turn going): a value ends the turn; null asks again.</summary>
    Task<TEnd?> FinishedAsync(SessionMessage answer, CancellationToken cancellationToken);
}

/// <summary>Where a turn runs, and what its prompt hooks read.</summary>
/// <param name="Folders">Where its tools and hooks work (a task's worktree); null: the workspace's folders.</param>
/// <param name="Prompt">The message its UserPromptSubmit hooks read; null: the turn sends none (no prompt hooks).</param>
/// <param name="First">The prompt is the conversation's first message: SessionStart hooks run before it.</param>
public sealed record TurnStart(IReadOnlyList<string>? Folders, Sandbox.SandboxPolicy? Sandbox, string? Prompt, bool First);

/// <summary>An opened turn: its backend, the options each call sends, and the instructions files sent so far (null: the owner turned them off, so none joins).</summary>
public sealed record TurnOpened(ITurnConversation Conversation, ChatOptions Options, SentInstructions? Sent);
