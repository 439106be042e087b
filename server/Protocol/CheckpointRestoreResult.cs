namespace Plue.Protocol;

public sealed record CheckpointRestoreResult
{
    /// <summary>False when nothing was done because <see cref="Conflicts"/> were changed since: ask, then restore with force.</summary>
    public required bool Restored { get; init; }
    /// <summary>Files changed since by the user (or another chat) that the restore would overwrite.</summary>
    public required IReadOnlyList<string> Conflicts { get; init; }
    /// <summary>Files put back.</summary>
    public required IReadOnlyList<string> Files { get; init; }
    /// <summary>The checkpoint the restore made first: restoring to it undoes the restore.</summary>
    public string? UndoCheckpointId { get; init; }
    /// <summary>With conversation: the dropped user message's text, to put back in the composer.</summary>
    public string? Text { get; init; }
}
