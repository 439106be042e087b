namespace Plue.Agents.Tools;

/// <summary>What one task may do: the tools it has after its template's lock, and those that run without asking.</summary>
public sealed record ToolGrant
{
    /// <summary>The task's id, or the chat's when <see cref="ForChat"/>: allow-always answers are remembered under it.</summary>
    public required string TaskId { get; init; }
    /// <summary>The grant is a chat's: the client is asked with its id as <c>sessionId</c>, so it names the chat.</summary>
    public bool ForChat { get; init; }
    public required IReadOnlySet<string> Allowed { get; init; }
    public required IReadOnlySet<string> AutoApprove { get; init; }
    public int BashTimeoutMs { get; init; } = 120_000;
    /// <summary>Where the tools work instead of the workspace folders: the task's own worktree. Null: the workspace.</summary>
    public IReadOnlyList<string>? Folders { get; init; }
    /// <summary>The container its commands run in, when the task runs in one; null: on this machine.</summary>
    public Containers.TaskContainer? Container { get; init; }
    /// <summary>
    /// Where its commands run when that is not this machine's sandbox (a task's container, a swarm job), in words for
    /// the approval card; null: <see cref="Sandbox"/> says it.
    /// </summary>
    public string? RunsIn { get; init; }
    /// <summary>Makes (or finds) the chat's container at its first command, when its sandbox policy runs them in one.</summary>
    public Func<CancellationToken, Task<Containers.TaskContainer>>? OpenContainer { get; init; }
    /// <summary>The sandbox its commands and children run in; a sub-task's is narrowed by its parent's.</summary>
    public Sandbox.SandboxPolicy Sandbox { get; init; } = Plue.Sandbox.SandboxPolicy.Off;
    /// <summary>Told true while a call waits for the user's answer and false after, so the task can show waiting-approval.</summary>
    public Action<bool, Protocol.PendingApproval?>? OnWaitingApproval { get; init; }
}
