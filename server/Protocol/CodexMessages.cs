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

public sealed record CodexListResult
{
    public required IReadOnlyList<CodexRecord> Items { get; init; }
    public string? NextCursor { get; init; }
}

public sealed record DeletedResult
{
    public required bool Deleted { get; init; }
}

/// <summary><c>codex/undo</c> result: the record as restored, or null when undo removed it.</summary>
public sealed record UndoResult
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public CodexRecord? Record { get; init; }
}

/// <summary><c>codex/resolve</c> result: <c>kind</c> "record" or "prompt", and that thing.</summary>
public sealed record ResolveResult
{
    public required string Kind { get; init; }
    public CodexRecord? Record { get; init; }
    public Prompt? Prompt { get; init; }
}
