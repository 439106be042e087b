using Plue.Protocol;

namespace Plue.Agents.Tools.Approvals;

/// <summary>Whether a call may run, and the rule that decided it; when not, <see cref="Reason"/> is what the model is told.</summary>
public sealed record ApprovalOutcome(bool Allowed, ToolApproval Decided, string? Reason = null)
{
    public static ApprovalOutcome Allow(string source, string rule, string? grantId = null) =>
        new(true, new ToolApproval { Decision = ApprovalRule.Allow, Source = source, Rule = rule, GrantId = grantId });

    public static ApprovalOutcome Deny(string reason, string source = Sources.User, string rule = "you denied it", string? grantId = null) =>
        new(false, new ToolApproval { Decision = ApprovalRule.Deny, Source = source, Rule = rule, GrantId = grantId }, reason);

    /// <summary>Where a deciding rule comes from, besides the grants' scopes.</summary>
    public static class Sources
    {
        /// <summary>The tool never asks (read, search), or a trusted MCP server's tool in a trusted workspace.</summary>
        public const string Tool = "tool";
        /// <summary>The user's answer to the question.</summary>
        public const string User = "user";
    }
}
