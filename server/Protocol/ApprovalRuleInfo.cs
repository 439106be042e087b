namespace Plue.Protocol;

/// <summary>
/// One approval rule as a user reads and writes it: the tool (an MCP server's <c>mcp__server</c> stands for each of its
/// tools), narrowed by a bash <c>commandPrefix</c>, a write/edit <c>pathGlob</c> or a <c>host</c> (bash: every URL the
/// command names is on it, e.g. <c>curl https://example.com/x</c>); <c>decision</c> allow | deny (absent: allow);
/// <c>source</c> where it comes from (mode, user, workspace, chat, task, file) and <c>what</c> it reads as.
/// </summary>
public sealed record ApprovalRuleInfo
{
    public required string Tool { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    public string? Host { get; init; }
    public string? Decision { get; init; }
    public string? Source { get; init; }
    public string? What { get; init; }
}
