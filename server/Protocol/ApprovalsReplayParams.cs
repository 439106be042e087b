namespace Plue.Protocol;

/// <summary>
/// <c>approvals/replay</c>: the chat or task (<c>id</c>) whose recorded tool calls to weigh again, against the rules in
/// force now, or against <c>rules</c> (a rules file's list, in order) instead.
/// </summary>
public sealed record ApprovalsReplayParams
{
    public required string Id { get; init; }
    public IReadOnlyList<ApprovalRuleInfo>? Rules { get; init; }
}
