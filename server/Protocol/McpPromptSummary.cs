namespace Plue.Protocol;

/// <summary>One prompt an MCP server offers (its <c>prompts/list</c>).</summary>
public sealed record McpPromptSummary
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string ServerTitle { get; init; }
    /// <summary>The server's name for it: what <c>mcp/getPrompt</c> takes; <see cref="Title"/>, when given, is the one to show.</summary>
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<McpPromptArgumentSummary> Arguments { get; init; }
}
