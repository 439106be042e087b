namespace Plue.Protocol;

/// <summary>
/// One change of a record: what it was before and after (null before a create, null after
/// a delete). Undo applies the latest not-yet-undone entry's <see cref="Before"/>.
/// </summary>
public sealed record HistoryEntry
{
    public required long Seq { get; init; }
    public required string CodexId { get; init; }
    /// <summary>create, update, delete or undo.</summary>
    public required string Action { get; init; }
    public required long Version { get; init; }
    public CodexRecord? Before { get; init; }
    public CodexRecord? After { get; init; }
    public required bool Undone { get; init; }
    public required DateTimeOffset At { get; init; }
}
