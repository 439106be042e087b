namespace Plue.Protocol;

/// <summary><c>mcp/getPrompt</c> params: a prompt of an MCP server and its arguments' values.</summary>
public sealed record McpGetPromptParams
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string>? Arguments { get; init; }
}
