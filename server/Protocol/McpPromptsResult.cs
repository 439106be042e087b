namespace Plue.Protocol;

/// <summary><c>mcp/prompts</c> result: the prompts of every enabled MCP server, and the servers that could not be asked.</summary>
public sealed record McpPromptsResult
{
    public required IReadOnlyList<McpPromptSummary> Prompts { get; init; }
    public required IReadOnlyList<McpServerUnavailable> Unavailable { get; init; }
}
