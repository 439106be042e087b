namespace Plue.Agents;

/// <summary>How a run ended: the status to store, why (for the user), and the final report when it completed.</summary>
public sealed record TaskEnd(string Status, string? Reason, string? Result = null)
{
    public const string Interrupted = "Interrupted";
    public const string SidecarStopped = "The sidecar stopped while the task ran";

    public static TaskEnd Failed(string reason) => new(TaskStatuses.Failed, reason);
}
