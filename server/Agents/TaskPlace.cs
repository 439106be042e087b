using Plue.Checkpoints;

namespace Plue.Agents;

/// <summary>
/// Where one run of a task works: the workspace, or its own worktree; without git, a writer beside others holds its
/// turn among its siblings here, released when the run's loop ends.
/// </summary>
public sealed class TaskPlace(TaskWorktree? worktree, SemaphoreSlim? turn) : IDisposable
{
    public static TaskPlace Workspace { get; } = new(null, null);

    public TaskWorktree? Worktree => worktree;

    /// <summary>The folders its tools are rooted in; null for the workspace's.</summary>
    public IReadOnlyList<string>? Folders => worktree is null ? null : [worktree.Folder];

    public void Dispose() => turn?.Release();
}
