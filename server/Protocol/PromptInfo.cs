namespace Plue.Protocol;

/// <summary>A system prompt file: its reference, where it comes from, and its first heading.</summary>
public sealed record PromptInfo
{
    public required string Ref { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    /// <summary>shipped, home or workspace: the one that wins for this name.</summary>
    public required string Source { get; init; }
    public required string Path { get; init; }
}
