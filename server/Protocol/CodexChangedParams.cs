namespace Plue.Protocol;

/// <summary>
/// <c>codex/changed</c>: one committed change to a record, by this process or another on the same home, or a change of
/// its feature's live state (a chat's turn starting, a task's cost moving), told with the record's view as it is now.
/// </summary>
public sealed record CodexChangedParams
{
    public required string Id { get; init; }
    /// <summary>The root of the record's template lineage: <c>llm-provider</c>, <c>ai-chat</c>, <c>task</c>, <c>mcp-server</c>, or a user's own.</summary>
    public required string Kind { get; init; }
    public required string TemplateId { get; init; }
    /// <summary>The record as committed; absent when it was deleted.</summary>
    public CodexRecord? Record { get; init; }
    public required bool Deleted { get; init; }
    /// <summary>The record as its kind shows it (<c>view.kind</c> says which); absent when it was deleted or its kind has no view of its own.</summary>
    public RecordView? View { get; init; }
}
