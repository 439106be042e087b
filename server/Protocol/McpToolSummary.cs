namespace Plue.Protocol;

/// <summary>One tool an MCP server offers.</summary>
public sealed record McpToolSummary
{
    /// <summary>The server's own name for it.</summary>
    public required string Name { get; init; }
    /// <summary>The name a task's grant and its model use: <c>mcp__&lt;server&gt;__&lt;tool&gt;</c>.</summary>
    public required string AgentName { get; init; }
    public string? Description { get; init; }
}
