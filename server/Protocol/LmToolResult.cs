namespace Plue.Protocol;

/// <summary>The answer to a tool call, as text.</summary>
public sealed record LmToolResult
{
    public required string CallId { get; init; }
    public required string Text { get; init; }
}
