using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary><c>mcp/elicit</c> result: what the user did, and with <c>accept</c> the values given.</summary>
public sealed record McpElicitResult
{
    /// <summary><c>accept</c>, <c>decline</c> or <c>cancel</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The values by property name (string, number or boolean); with <c>accept</c> only.</summary>
    public JsonObject? Content { get; init; }
}
