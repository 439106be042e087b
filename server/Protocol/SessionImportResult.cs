namespace Plue.Protocol;

public sealed record SessionImportResult
{
    /// <summary>Chats written (new ones, and those imported as a copy because their id was taken).</summary>
    public required int Chats { get; init; }
    public required int Tasks { get; init; }
    /// <summary>Chats and tasks already here exactly as in the file (the same transcript, every message and part): left alone.</summary>
    public required int Skipped { get; init; }
    /// <summary>Chats and tasks whose id was taken here by a different one: imported as new records titled "(imported copy)" (the one here untouched).</summary>
    public required int Copied { get; init; }
    /// <summary>The names of instances the file's chats and tasks use that are not here: those read, but need another model to continue.</summary>
    public required IReadOnlyList<string> MissingInstances { get; init; }
    /// <summary>The ids written, in the file's order.</summary>
    public required IReadOnlyList<string> Ids { get; init; }
    /// <summary>
    /// The chats and tasks written under another id than the file's, file id to id here: a copy of a different chat
    /// whose id was taken here, or an id that is not in the form Plue makes (refused as an id, never used).
    /// </summary>
    public required IReadOnlyDictionary<string, string> Renamed { get; init; }
    /// <summary>The chat written, when exactly one chat was (to open it).</summary>
    public string? ChatId { get; init; }
    /// <summary>What happened, in the user's words (the window's toast and the command line say this).</summary>
    public required string Message { get; init; }
}
