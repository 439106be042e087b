namespace Plue.Agents.Tools;

/// <summary>What one task may do: the tools it has after its template's lock, and those that run without asking.</summary>
public sealed record ToolGrant
{
    public required string TaskId { get; init; }
    public required IReadOnlySet<string> Allowed { get; init; }
    public required IReadOnlySet<string> AutoApprove { get; init; }
    public int BashTimeoutMs { get; init; } = 120_000;
    /// <summary>Told true while a call waits for the user's answer and false after, so the task can show waiting-approval.</summary>
    public Action<bool, Protocol.PendingApproval?>? OnWaitingApproval { get; init; }
}
