using Plue.Protocol;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The answer to a <see cref="ToolApprovalRequest"/>; <see cref="Message"/> tells the model why on a deny, and
/// <see cref="Approval"/> is the rule that decided it, kept on the call's transcript part when its result comes.
/// </summary>
public sealed record ToolApprovalDecision(ToolApprovalBehavior Behavior, string? Message = null)
{
    public static ToolApprovalDecision Allow { get; } = new(ToolApprovalBehavior.Allow);
    public static ToolApprovalDecision Deny(string message) => new(ToolApprovalBehavior.Deny, message);

    public ToolApproval? Approval { get; init; }
}
