using Microsoft.Extensions.AI;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Acp;

namespace Plue.Agents.Backends;

/// <summary>
/// The acp-agent backend: the agent runs its own tool loop in one turn, its permission questions answered through the
/// sidecar's approvals under the task's grant (auto_approve, allow-always, else <c>permission/request</c> with the task's
/// id) after its PreToolUse agent hooks, its files served inside the workspace. The agent's process lives for the run and is closed at its end.
/// </summary>
public sealed class AcpAgentBackend(IChatClientFactory clients, ToolApprovals approvals, AcpAgentSessions agents, TaskModelTurn turn, Customizations.IAgentHooks hooks) : ITaskBackend
{
    public bool RunsOwnTools => true;

    public Task<ITaskConversation> OpenAsync(CodexRecord task, ProviderConnection connection, ToolGrant grant, ChatOptions options, CancellationToken cancellationToken)
    {
        var client = clients.Create(connection, task.Id, ClaudeCodeTasks.Approver(approvals, grant, hooks), grant.Sandbox);
        return Task.FromResult<ITaskConversation>(new AgentLoopConversation(turn, () => agents.CloseAsync(task.Id), task.Id, connection, client, options));
    }
}
