namespace Plue.Protocol;

/// <summary>
/// A chat exported as JSON: the sessions file's <see cref="Format"/> and <see cref="Version"/> (what
/// <c>session/import</c> reads), the session as the window shows it, its record and instance (what an import writes
/// back) and every message with its parts.
/// </summary>
public sealed record SessionExportFile
{
    public string Format { get; init; } = SessionsFile.FormatName;
    public int Version { get; init; } = SessionsFile.CurrentVersion;
    public required Session Session { get; init; }
    public CodexRecord? Record { get; init; }
    public SessionsFileInstance? Instance { get; init; }
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
    /// <summary>Messages a fork copied: their id → the message first paid for (its cost counts there, not here).</summary>
    public IReadOnlyDictionary<string, string>? CopiedFrom { get; init; }
}
