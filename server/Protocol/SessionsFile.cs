namespace Plue.Protocol;

/// <summary>
/// Every chat and task of a store in one JSON document (<c>plue sessions export --all</c>, <c>session/exportAll</c>):
/// <c>{"format": "plue-sessions", "version": 1, "exportedAt", "records": [...]}</c>. <c>session/import</c> reads it,
/// and a single chat's JSON export, which carries the same format and version.
/// </summary>
public sealed record SessionsFile
{
    public const string FormatName = "plue-sessions";
    /// <summary>Bumped when a change to the file would be misread by an older Plue; an import refuses a higher one.</summary>
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public DateTimeOffset? ExportedAt { get; init; }
    public required IReadOnlyList<SessionsFileRecord> Records { get; init; }
}
