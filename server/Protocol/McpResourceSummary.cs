namespace Plue.Protocol;

/// <summary>One resource an MCP server offers (its <c>resources/list</c>).</summary>
public sealed record McpResourceSummary
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string ServerTitle { get; init; }
    /// <summary>The resource's URI: what <c>mcp/readResource</c> takes.</summary>
    public required string Uri { get; init; }
    /// <summary>The server's name for it; <see cref="Title"/>, when given, is the one to show.</summary>
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? MimeType { get; init; }
}
