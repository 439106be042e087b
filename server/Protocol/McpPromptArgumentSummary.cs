namespace Plue.Protocol;

/// <summary>One argument an MCP prompt takes.</summary>
public sealed record McpPromptArgumentSummary
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public required bool Required { get; init; }
}
