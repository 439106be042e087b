namespace Plue.Checkpoints;

/// <summary>
/// A task's own git worktree of the folder it would have worked in (<see cref="Source"/>: a workspace folder, or its
/// parent's worktree): <see cref="Folder"/> is where its tools are rooted, <see cref="Base"/> the tree it started
/// from (the source's HEAD with the source's uncommitted files), <see cref="Changes"/> what it left when its run ended.
/// </summary>
public sealed record TaskWorktree
{
    public required string TaskId { get; init; }
    public required string Source { get; init; }
    /// <summary>The top of the source's repository: where its changes are applied.</summary>
    public required string SourceTop { get; init; }
    /// <summary>The worktree's top, under the home.</summary>
    public required string Top { get; init; }
    /// <summary>The source folder's place in the worktree (the source may be a sub-folder of its repository).</summary>
    public required string Folder { get; init; }
    public required string Base { get; init; }
    /// <summary>Set when a run ended: the files it changed against <see cref="Base"/> ("M src/a.ts"); empty when none.</summary>
    public List<string>? Changes { get; init; }
}
