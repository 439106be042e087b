using Microsoft.Extensions.AI;
using Plue.Providers.ClaudeCode;

namespace Plue.Providers;

/// <summary>
/// Gives the backend for an instance. <paramref name="conversationKey"/> lets a backend keep
/// per-conversation state (the claude CLI keeps one process per chat); HTTP backends ignore it.
/// </summary>
public interface IChatClientFactory
{
    IChatClient Create(ProviderConnection connection, string conversationKey);

    /// <summary>
    /// The same, for an agent task: a backend that runs tools itself (the claude CLI) asks <paramref name="approver"/>,
    /// which knows the task, instead of the chat's approver; <paramref name="sandbox"/> is the chat's or task's policy
    /// its agent process (the claude CLI, an ACP agent) runs under (null: the workspace's).
    /// </summary>
    IChatClient Create(ProviderConnection connection, string conversationKey, Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> approver,
        Sandbox.SandboxPolicy? sandbox = null);
}
