using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Plue.Agents.Backends;
using Plue.Agents.Mcp;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Catalog;
using Plue.Providers;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// A chat's <c>available_tools</c>, run as a task's are: declared to an HTTP model and run through
/// <see cref="ToolRunner"/> (confined to the workspace, write/edit/bash asking first, "allow always" remembered),
/// or named to the claude CLI (<c>--tools</c>, "" for none), whose questions go through the same approvals.
/// A chat's tools ask as the template says, except those its mode runs without asking.
/// </summary>
public sealed class ChatTools(IChatClientFactory clients, ToolRunner tools, TaskToolCalls toolCalls, ToolApprovals approvals,
    ClaudeCodeTaskMcp cliMcp, WorkspaceContext session, Customizations.CustomizationRegistry customizations, Customizations.IAgentHooks hooks, Sandbox.SandboxPolicies sandboxes,
    Containers.ChatContainers containers) : IChatTools
{
    // The CLI keeps the approver it started with: it reads the chat's latest grant, so tools turned on later are asked for.
    private readonly ConcurrentDictionary<string, ToolGrant> _grants = new(StringComparer.Ordinal);

    public async Task<ChatToolTurn> OpenAsync(string chatId, IReadOnlyList<string> toolNames, IReadOnlyList<string> autoApprove, ProviderConnection connection, ChatOptions options, CancellationToken cancellationToken,
        string? sandboxPolicy = null)
    {
        var grant = new ToolGrant
        {
            TaskId = chatId,
            ForChat = true,
            // spawn_task starts tasks and merge_changes merges theirs: a chat has no task tree to put them in.
            // The skill tool is granted with read (docs/CUSTOMIZATIONS.md, Skills), when there is a skill to load.
            Allowed = toolNames.Where(t => t is not SpawnTaskTool.ToolName and not MergeChangesTool.ToolName)
                .Concat(toolNames.Contains("read") && customizations.Skills.Count > 0 ? [SkillTool.ToolName] : []).ToHashSet(StringComparer.Ordinal),
            AutoApprove = autoApprove.ToHashSet(StringComparer.Ordinal),
            Sandbox = sandboxes.Resolve(sandboxPolicy),
        };
        if (grant.Sandbox.Container is not null) grant = grant with { OpenContainer = ct => containers.ForAsync(chatId, grant.Sandbox, ContainerFolder(), ct) };
        _grants[chatId] = grant;
        if (ProviderTypes.RunsOwnTools(connection.ProviderType))
        {
            if (grant.Sandbox.Container is not null) throw Rpc.RpcException.InvalidParams(RunsOwnToolsInContainer);
            if (connection.ProviderType == ProviderTypes.ClaudeCode)
                await ClaudeCodeBackend.NameToolsAsync(cliMcp, grant, session.Folders.FirstOrDefault() ?? session.Home, options, cancellationToken).ConfigureAwait(false);
            // An ACP agent's permission questions pass the PreToolUse hooks; Claude Code runs its settings' hooks itself.
            var approver = ClaudeCodeTasks.Approver(approvals, () => _grants.GetValueOrDefault(chatId) ?? grant,
                connection.ProviderType == ProviderTypes.AcpAgent ? hooks : null);
            return new ChatToolTurn { Client = clients.Create(connection, chatId, approver, grant.Sandbox), RunsCalls = false, RunCallsAsync = (_, _) => Task.FromResult(false) };
        }
        if (grant.Allowed.Count > 0) options.Tools = [.. await tools.DeclarationsAsync(grant, cancellationToken).ConfigureAwait(false)];
        return new ChatToolTurn
        {
            Client = clients.Create(connection, chatId),
            RunsCalls = grant.Allowed.Count > 0,
            // A chat given no tools does not loop on a call the model made up: the turn ends with it, as it streamed.
            RunCallsAsync = grant.Allowed.Count > 0 ? (answer, token) => toolCalls.RunPendingAsync(answer, grant, token) : (_, _) => Task.FromResult(false),
        };
    }

    public const string RunsOwnToolsInContainer =
        "This chat's sandbox policy runs commands in a container, and Claude Code and ACP agents run their own tools on this machine: choose a mode or policy that runs locally, or a provider whose model Plue runs the tools for";

    /// <summary>The chat's container goes when the chat is archived or deleted.</summary>
    public Task CloseAsync(string chatId) => containers.CloseAsync(chatId);

    private string ContainerFolder() => session.Folders.FirstOrDefault()
        ?? throw new ToolException("A chat whose commands run in a container needs a workspace folder to mount in it: open a folder.");
}
