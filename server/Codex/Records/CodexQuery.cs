using Plue.Protocol;

namespace Plue.Codex.Records;

/// <summary>What <c>codex/list</c> filters on; every filter given must hold.</summary>
public sealed record CodexQuery
{
    /// <summary>Template ids to match (callers expand a template to its descendants).</summary>
    public IReadOnlyList<string>? TemplateIds { get; init; }
    /// <summary>Records carrying every one of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    public string? SpawnedBy { get; init; }
    public string? ParentId { get; init; }
    public string? Status { get; init; }
    /// <summary>Records whose status is not this one (none: every status).</summary>
    public string? NotStatus { get; init; }
    public CodexSort Sort { get; init; } = CodexSort.UpdatedDesc;
    public int Limit { get; init; } = 50;
    /// <summary>Opaque: the <see cref="CodexPage.NextCursor"/> of the previous page.</summary>
    public string? Cursor { get; init; }
    /// <summary>The records after this one in the order asked (a list's last id, another way to ask for its next page).</summary>
    public string? AfterId { get; init; }
}

public enum CodexSort
{
    UpdatedDesc,
    UpdatedAsc,
    CreatedDesc,
    CreatedAsc,
    TitleAsc,
    /// <summary>Newest id first: ids are made in creation order and never change, so a walk by id misses no record a change moves.</summary>
    IdDesc,
}

/// <summary>One page of records and the cursor of the next page (null at the end).</summary>
public sealed record CodexPage(IReadOnlyList<CodexRecord> Items, string? NextCursor);
