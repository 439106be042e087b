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
