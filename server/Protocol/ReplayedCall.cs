namespace Plue.Protocol;

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
