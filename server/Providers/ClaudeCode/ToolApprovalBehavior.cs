namespace Plue.Providers.ClaudeCode;

/// <summary>The user's answer to a tool approval; wire names allow, allowAlways, deny.</summary>
public enum ToolApprovalBehavior
{
    Allow,
    /// <summary>Allow this tool for the rest of the chat session without asking again.</summary>
    AllowAlways,
    Deny,
}
