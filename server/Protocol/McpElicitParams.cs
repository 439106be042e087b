using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary><c>mcp/elicit</c> params: an MCP server asks the user for some values during a tool call.</summary>
public sealed record McpElicitParams
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string Title { get; init; }
    /// <summary>The server's question.</summary>
    public required string Message { get; init; }
    /// <summary>A flat JSON schema: <c>{type: "object", properties: {name: {type, title?, description?, enum?, default?}}, required?}</c>.</summary>
    public required JsonObject RequestedSchema { get; init; }
}
