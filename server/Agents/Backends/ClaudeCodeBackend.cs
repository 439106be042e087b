using Microsoft.Extensions.AI;
using Plue.Agents.Mcp;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Codex.Records;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.ClaudeCode;
using Plue.Workspace;

namespace Plue.Agents.Backends;

/// <summary>
/// The claude-code backend: the CLI runs its own tool loop in one turn, with the grant's tools as its <c>--tools</c>,
/// the grant's MCP servers in its <c>--mcp-config</c> and its approval questions answered through the sidecar's
/// approvals (see <see cref="ClaudeCodeTasks"/>). The CLI's process lives for the run and is closed at its end.
/// </summary>
public sealed class ClaudeCodeBackend(
    IChatClientFactory clients,
    ToolApprovals approvals,
    ClaudeCodeTaskMcp cliMcp,
    ClaudeCodeSessions cliSessions,
    WorkspaceContext session,
    TaskModelTurn turn) : ITaskBackend
{
    public bool RunsOwnTools => true;

    public async Task<ITaskConversation> OpenAsync(CodexRecord task, ProviderConnection connection, ToolGrant grant, ChatOptions options, CancellationToken cancellationToken)
    {
        var client = clients.Create(connection, task.Id, ClaudeCodeTasks.Approver(approvals, grant), grant.Sandbox);
        await NameToolsAsync(cliMcp, grant, session.Folders.FirstOrDefault() ?? session.Home, options, cancellationToken).ConfigureAwait(false);
        options.AdditionalProperties![ClaudeCodeChatClient.MaxTurnsKey] = TaskRecordFields.Of(task.Fields).MaxTurns ?? 40;
        return new AgentLoopConversation(turn, () => cliSessions.CloseAsync(task.Id), task.Id, connection, client, options);
    }

    /// <summary>The grant as the CLI's launch options: its built-in tools (<c>--tools</c>, "" for none) and its MCP servers.</summary>
    public static async Task NameToolsAsync(ClaudeCodeTaskMcp cliMcp, ToolGrant grant, string workingDirectory, ChatOptions options, CancellationToken cancellationToken)
    {
        var mcp = await cliMcp.ForAsync(grant, workingDirectory, cancellationToken).ConfigureAwait(false);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[ClaudeCodeChatClient.ToolsKey] = ClaudeCodeTasks.CliTools(grant);
        options.AdditionalProperties[ClaudeCodeChatClient.McpConfigKey] = mcp.Config;
        options.AdditionalProperties[ClaudeCodeChatClient.AllowedToolsKey] = mcp.AllowedTools;
        options.AdditionalProperties[ClaudeCodeChatClient.DisallowedToolsKey] = mcp.DisallowedTools;
    }
}
