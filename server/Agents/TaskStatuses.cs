namespace Plue.Agents;

/// <summary>
/// A task's status. queued, running, paused and the three ends are stored on the record; waiting-approval
/// is live only (a task waiting for the user is running as far as the store knows).
/// </summary>
public static class TaskStatuses
{
    /// <summary>Created, waiting for its run to begin (a sub-task waits for a slot under its parent's concurrency).</summary>
    public const string Queued = "queued";
    public const string Running = "running";
    /// <summary>A tool call waits for the user's answer to <c>permission/request</c>.</summary>
    public const string WaitingApproval = "waiting-approval";
    /// <summary>Stopped at its spend cap (<c>task/resume {spendCapUsd}</c> continues it) or an ancestor's (resuming that one resumes it).</summary>
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>A run owns the task right now (or owned it, if its process died).</summary>
    public static bool IsLive(string? status) => status is Queued or Running or WaitingApproval;

    public static bool CanResume(string? status) => status is Paused or Failed or Cancelled;

    /// <summary>The status as the wire types it.</summary>
    public static Protocol.AgentTaskStatus ToWire(string status) => status switch
    {
        Queued => Protocol.AgentTaskStatus.Queued,
        Running => Protocol.AgentTaskStatus.Running,
        WaitingApproval => Protocol.AgentTaskStatus.WaitingApproval,
        Paused => Protocol.AgentTaskStatus.Paused,
        Completed => Protocol.AgentTaskStatus.Completed,
        Cancelled => Protocol.AgentTaskStatus.Cancelled,
        // Failed, or a status the sidecar never writes (a record edited by hand): nothing runs it.
        _ => Protocol.AgentTaskStatus.Failed,
    };
}
