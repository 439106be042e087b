namespace Plue.Protocol;

/// <summary><c>mcp/input</c> result: whether the client stored a value at the params' <c>ref</c>.</summary>
public sealed record McpInputResult
{
    public required bool Stored { get; init; }
}
