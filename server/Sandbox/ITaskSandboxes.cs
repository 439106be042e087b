namespace Plue.Sandbox;

/// <summary>
/// The policy a task's children run under (its own narrowed by its ancestors'), by the task's id; null for a task that
/// is gone. The tasks' grants answer it (<c>Agents/TaskGrants</c>), so the sidecar's git on a task's worktree
/// (<c>Checkpoints/TaskWorktrees</c>) runs under it without the arrow going the other way.
/// </summary>
public interface ITaskSandboxes
{
    SandboxPolicy? For(string taskId);
}
