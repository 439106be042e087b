namespace Plue.Protocol;

/// <summary>
/// One part of a language-model message: <c>text</c>, a <c>toolCall</c> (<c>callId, name, input</c>) the model made,
/// or a <c>toolResult</c> (<c>callId, text</c>) answering one.
/// </summary>
public sealed record LmPart
{
    public string? Text { get; init; }
    public LmToolCall? ToolCall { get; init; }
    public LmToolResult? ToolResult { get; init; }
}
