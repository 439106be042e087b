namespace Plue.Protocol;

/// <summary><c>task/applyChanges</c>: the task's changes applied to its folder, its worktree removed.</summary>
public sealed record TaskApplyChangesResult
{
    public required string TaskId { get; init; }
    public required IReadOnlyList<CheckpointFile> Files { get; init; }
    /// <summary>Files left with conflict markers, where the folder changed the same region meanwhile: to resolve in the merge editor.</summary>
    public required IReadOnlyList<string> Conflicts { get; init; }
    /// <summary>
    /// The three versions of each conflicted text file (binary files, and those past 1 MB, are left out: their markers
    /// are resolved in the file), for a merge editor.
    /// </summary>
    public required IReadOnlyList<TaskConflict> ConflictVersions { get; init; }
    public required string Folder { get; init; }
}
