namespace Plue.Protocol;

/// <summary>A chat or task a search found, with the line that matched.</summary>
public sealed record SearchHit
{
    public required string Id { get; init; }
    public required SearchHitKind Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>The words around the match in the message that matched best (absent when only the title matched, or without words).</summary>
    public string? Snippet { get; init; }
    /// <summary>The message that matched.</summary>
    public string? MessageId { get; init; }
    /// <summary>Whether the title matched.</summary>
    public bool? TitleMatched { get; init; }
    public string? InstanceId { get; init; }
    /// <summary>The instance's display name, to show instead of its id.</summary>
    public string? InstanceName { get; init; }
    public string? ModelId { get; init; }
    /// <summary>A chat's mode: its id and name.</summary>
    public string? Mode { get; init; }
    public string? ModeName { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public string? Status { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
