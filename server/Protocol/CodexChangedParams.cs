namespace Plue.Protocol;

/// <summary><c>codex/changed</c>: one committed change to a record, by this process or another on the same home.</summary>
public sealed record CodexChangedParams
{
    public required string Id { get; init; }
    /// <summary>The root of the record's template lineage: <c>llm-provider</c>, <c>ai-chat</c>, <c>task</c>, <c>mcp-server</c>, or a user's own.</summary>
    public required string Kind { get; init; }
    public required string TemplateId { get; init; }
    /// <summary>The record as committed; absent when it was deleted.</summary>
    public CodexRecord? Record { get; init; }
    public required bool Deleted { get; init; }
}
