namespace Plue.Protocol;

/// <summary><c>mcp/getPrompt</c> result: the prompt's messages with its arguments filled in.</summary>
public sealed record McpGetPromptResult
{
    public string? Description { get; init; }
    public required IReadOnlyList<McpPromptMessageText> Messages { get; init; }
}
