namespace Plue.Protocol;

/// <summary><c>mcp/resources</c> result: the resources of every enabled MCP server, and the servers that could not be asked.</summary>
public sealed record McpResourcesResult
{
    public required IReadOnlyList<McpResourceSummary> Resources { get; init; }
    public required IReadOnlyList<McpServerUnavailable> Unavailable { get; init; }
}
