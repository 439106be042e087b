namespace Plue.Protocol;

/// <summary>One message of an MCP prompt, as text: <c>user</c> or <c>assistant</c>.</summary>
public sealed record McpPromptMessageText
{
    public required string Role { get; init; }
    public required string Text { get; init; }
}
