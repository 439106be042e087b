namespace Plue.Protocol;

/// <summary>
/// How one tool call was let through or stopped, kept on its <c>tool_use</c> part: <c>decision</c> allow | deny (and,
/// in <c>approvals/replay</c>, ask), and the rule that decided it, in words (<c>rule</c>) and by where it comes from
/// (<c>source</c>: tool, mode, workspace, chat, task, user, file); <c>grantId</c> is the deciding grant's record;
/// <c>tool</c> is the Plue tool the question was asked under, when the part's own name is an agent's (the Claude Code
/// CLI's <c>Bash</c>, an ACP agent's call title).
/// </summary>
public sealed record ToolApproval
{
    public required string Decision { get; init; }
    public required string Source { get; init; }
    public required string Rule { get; init; }
    public string? GrantId { get; init; }
    public string? Tool { get; init; }
}
