namespace Plue.Agents.Tools.Approvals;

/// <summary>Whether a call may run; when not, <see cref="Reason"/> is what the model is told.</summary>
public sealed record ApprovalOutcome(bool Allowed, string? Reason = null)
{
    public static ApprovalOutcome Allow { get; } = new(true);

    public static ApprovalOutcome Deny(string reason) => new(false, reason);
}
