namespace Plue.Protocol;

/// <summary><c>mcp/readResource</c> result: the resource's text (several text contents one after another).</summary>
public sealed record McpReadResourceResult
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string ServerTitle { get; init; }
    public required string Uri { get; init; }
    public string? MimeType { get; init; }
    public required string Text { get; init; }
}
