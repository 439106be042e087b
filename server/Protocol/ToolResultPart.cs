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
}
