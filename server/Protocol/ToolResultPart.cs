namespace Plue.Protocol;

public sealed record ToolResultPart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public string? Output { get; init; }
    public bool? IsError { get; init; }
    /// <summary>What the sandbox stopped the call from doing: the card offers "Allow this once" and "Always for this workspace".</summary>
    public IReadOnlyList<SandboxDenialInfo>? SandboxDenials { get; init; }
    /// <summary>The policy the call ran under, in words ("Workspace write (home hidden, no network)"), when it was denied something.</summary>
    public string? SandboxPolicy { get; init; }
    /// <summary>The call was run again with its denials allowed: once | workspace.</summary>
    public string? SandboxAllowed { get; init; }
    /// <summary>
    /// Set on the first command of a chat or task that ran without a sandbox although its policy confines (Windows,
    /// macOS for now, bubblewrap missing or unable to start): why, and how to get one. The chat shows it as a card.
    /// </summary>
    public string? Unconfined { get; init; }
    /// <summary>With <see cref="Unconfined"/>: the exact commands that give this machine its sandbox, where there is a known one (Ubuntu's AppArmor profile for bwrap).</summary>
    public string? UnconfinedFix { get; init; }
    /// <summary>With <see cref="Unconfined"/>, where a Docker engine is known: the line that offers the Container sandbox policy instead.</summary>
    public string? UnconfinedContainer { get; init; }
}
