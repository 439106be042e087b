namespace Plue.Protocol;

/// <summary>
/// What an agent hook (a command a hooks file runs at an agent event: docs/CUSTOMIZATIONS.md, Agent hooks) did that the
/// user should see: it blocked, warned, ran past its time limit, or added context. Its <see cref="Context"/>, when set,
/// is sent to the model as part of the user's message; the rest is shown only.
/// </summary>
public sealed record HookPart : MessagePart
{
    /// <summary>The event: PreToolUse, PostToolUse, UserPromptSubmit, Stop, SessionStart.</summary>
    public string? Event { get; init; }
    /// <summary>The hook's command line, shortened.</summary>
    public string? Command { get; init; }
    /// <summary>blocked, warning, timeout, context, or sandbox (the sandbox denied it something: <see cref="SandboxDenials"/>).</summary>
    public string? Outcome { get; init; }
    /// <summary>What the user reads: the hook's stderr, or what happened to it.</summary>
    public string? Text { get; init; }
    /// <summary>What the model reads with the message (a hook's stdout at UserPromptSubmit or SessionStart, a Stop hook's stderr).</summary>
    public string? Context { get; init; }
    /// <summary>What the sandbox stopped the hook from doing (outcome <c>sandbox</c>): the card offers "Allow this once" and "Always for this workspace".</summary>
    public IReadOnlyList<SandboxDenialInfo>? SandboxDenials { get; init; }
    /// <summary>The policy the hook ran under, in words, when it was denied something.</summary>
    public string? SandboxPolicy { get; init; }
    /// <summary>Its denials were allowed since: once (the next hooks here) | workspace.</summary>
    public string? SandboxAllowed { get; init; }
}
