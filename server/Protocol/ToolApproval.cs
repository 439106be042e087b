namespace Plue.Protocol;

/// <summary>
/// How one tool call was let through or stopped, kept on its <c>tool_use</c> part: <c>decision</c> allow | deny, and
/// the rule that decided it, in words (<c>rule</c>) and by where it comes from (<c>source</c>: tool, mode, workspace,
/// chat, task, user); <c>grantId</c> is the deciding grant's record.
/// </summary>
public sealed record ToolApproval
{
    public required string Decision { get; init; }
    public required string Source { get; init; }
    public required string Rule { get; init; }
    public string? GrantId { get; init; }
}
