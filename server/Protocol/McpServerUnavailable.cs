namespace Plue.Protocol;

/// <summary>An enabled MCP server left out of a listing because it could not be reached; the reason says what to do.</summary>
public sealed record McpServerUnavailable
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string Title { get; init; }
    public required string Reason { get; init; }
}
