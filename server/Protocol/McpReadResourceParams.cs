namespace Plue.Protocol;

/// <summary><c>mcp/readResource</c> params: a resource of an MCP server, as <c>mcp/resources</c> listed it.</summary>
public sealed record McpReadResourceParams
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    public required string Uri { get; init; }
}
