using Plue.Agents.Containers;
using Plue.Checkpoints;

namespace Plue.Agents;

/// <summary>
/// Where one run of a task works: the workspace, or its own worktree; without git, a writer beside others holds its
/// turn among its siblings here, released when the run's loop ends. A task in a container has that folder mounted in
/// a container of its own, where its commands run.
/// </summary>
public sealed class TaskPlace(TaskWorktree? worktree, SemaphoreSlim? turn, TaskContainer? container = null) : IDisposable
{
    public static TaskPlace Workspace { get; } = new(null, null);

    public TaskWorktree? Worktree => worktree;

    /// <summary>The run's container, when the task runs in one (removed by <see cref="TaskPlaces.SettleAsync"/>).</summary>
    public TaskContainer? Container => container;

    public TaskPlace With(TaskContainer started) => new(worktree, turn, started);

    /// <summary>The folders its tools are rooted in; null for the workspace's.</summary>
    public IReadOnlyList<string>? Folders => worktree is null ? null : [worktree.Folder];

    public void Dispose() => turn?.Release();
}
