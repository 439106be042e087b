namespace Plue.Protocol;

/// <summary><c>codex/list</c> params.</summary>
public sealed record CodexListParams
{
    public string? TemplateId { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? SpawnedBy { get; init; }
    public string? ParentId { get; init; }
    public string? Status { get; init; }
    /// <summary>updatedDesc (default), updatedAsc, createdDesc, createdAsc, titleAsc.</summary>
    public string? Sort { get; init; }
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
}
