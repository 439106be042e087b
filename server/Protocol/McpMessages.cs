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

/// <summary><c>mcp/tools</c> result: the server's slug and the tools it listed when started just now.</summary>
public sealed record McpToolsResult
{
    public required string Server { get; init; }
    public required IReadOnlyList<McpToolSummary> Tools { get; init; }
}
