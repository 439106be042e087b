namespace Plue.Protocol;

/// <summary><c>mcp/tools</c> result: the server's slug and the tools it listed when started just now.</summary>
public sealed record McpToolsResult
{
    public required string Server { get; init; }
    public required IReadOnlyList<McpToolSummary> Tools { get; init; }
}
