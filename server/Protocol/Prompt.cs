namespace Plue.Protocol;

/// <summary>A prompt with its text.</summary>
public sealed record Prompt
{
    public required PromptInfo Info { get; init; }
    public required string Content { get; init; }
}
