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

/// <summary>One chat or task of a sessions file: its record (fields, tags, mode, status), instance, transcript.</summary>
public sealed record SessionsFileRecord
{
    /// <summary><c>chat</c> or <c>task</c>.</summary>
    public required string Kind { get; init; }
    public required CodexRecord Record { get; init; }
    /// <summary>The provider instance its fields name, by reference and name, so another machine can find its own.</summary>
    public SessionsFileInstance? Instance { get; init; }
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
    /// <summary>Messages a fork copied: their id → the message first paid for.</summary>
    public IReadOnlyDictionary<string, string>? CopiedFrom { get; init; }
}

/// <summary>A provider instance as a sessions file names it: its <c>codex://</c> reference (slug), its name and id.</summary>
public sealed record SessionsFileInstance
{
    public required string Ref { get; init; }
    public string? Name { get; init; }
    public string? Id { get; init; }
}
