namespace Plue.Providers.ClaudeCode;

/// <summary>The answer to a <see cref="ToolApprovalRequest"/>; <see cref="Message"/> tells the model why on a deny.</summary>
public sealed record ToolApprovalDecision(ToolApprovalBehavior Behavior, string? Message = null)
{
    public static ToolApprovalDecision Allow { get; } = new(ToolApprovalBehavior.Allow);
    public static ToolApprovalDecision Deny(string message) => new(ToolApprovalBehavior.Deny, message);
}
