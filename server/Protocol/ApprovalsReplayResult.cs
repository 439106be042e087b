namespace Plue.Protocol;

/// <summary>
/// What <c>approvals/replay</c> found: the chat or task (<c>kind</c> chat | task, by <c>title</c>), the rules weighed
/// in their order (<c>fromFile</c>: a rules file's, else those in force now), and each recorded call with what it got
/// then (<c>recorded</c>, absent for calls from before rules were kept) and what it would get now (<c>would</c>).
/// </summary>
public sealed record ApprovalsReplayResult
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public bool FromFile { get; init; }
    public required IReadOnlyList<ApprovalRuleInfo> Rules { get; init; }
    public required IReadOnlyList<ReplayedCall> Calls { get; init; }
}

/// <summary>
/// One recorded call weighed again: the Plue <c>tool</c> it is asked under, what it did in a few words (<c>call</c>: the
/// command, the path), and <c>words</c>: "would have asked", "allowed by …", "denied by …", "runs without asking (…)".
/// </summary>
public sealed record ReplayedCall
{
    public required string ToolCallId { get; init; }
    public required string Tool { get; init; }
    public required string Call { get; init; }
    public ToolApproval? Recorded { get; init; }
    public required ToolApproval Would { get; init; }
    public required string Words { get; init; }
}
