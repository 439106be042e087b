namespace Plue.Protocol;

/// <summary><c>task/changes</c>: what a task that worked in its own worktree changed, to review before it is applied.</summary>
public sealed record TaskChangesResult
{
    public required string TaskId { get; init; }
    /// <summary>Paths relative to <see cref="Folder"/>.</summary>
    public required IReadOnlyList<CheckpointFile> Files { get; init; }
    /// <summary>The changes as a git patch (binary files included), cut at 400,000 characters.</summary>
    public required string Patch { get; init; }
    /// <summary>The folder the changes apply to: a workspace folder, or the parent task's worktree.</summary>
    public required string Folder { get; init; }
    /// <summary>The same folder in the task's worktree: each file there is the task's version, to diff against <see cref="Folder"/>'s.</summary>
    public required string Worktree { get; init; }
}
