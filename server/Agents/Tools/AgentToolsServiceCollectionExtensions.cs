using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Agents.Mcp;
using Plue.Agents.Tools.Approvals;
using Plue.Agents.Tools.Files;
using Plue.Agents.Tools.Shell;
using Plue.Checkpoints;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Tools;

public static class AgentToolsServiceCollectionExtensions
{
    /// <summary>The workspace tools, the runner that gates them, the permission broker and its RPC methods, and MCP servers.</summary>
    public static IServiceCollection AddAgentTools(this IServiceCollection services)
    {
        services.AddSingleton<IAgentTool, ReadTool>();
        services.AddSingleton<IAgentTool, WriteTool>();
        services.AddSingleton<IAgentTool, EditTool>();
        services.AddSingleton<IAgentTool>(_ => new SearchTool());
        services.AddSingleton<IAgentTool>(_ => new BashTool());
        services.AddSingleton<IAgentTool, SkillTool>();
        services.AddSingleton<IAgentTool, PlanUpdateTool>();

        services.AddSingleton(sp => new ToolGrants(sp.GetRequiredService<Codex.Records.CodexService>(), () => sp.GetRequiredService<WorkspaceContext>().Home,
            sp.GetRequiredService<ILogger<ToolGrants>>()));
        services.AddSingleton<Sandbox.ISandboxGrants>(sp => sp.GetRequiredService<ToolGrants>());
        services.AddSingleton<Codex.Kinds.IRecordKind>(sp => new ToolGrantKind(sp.GetRequiredService<ToolGrants>, sp.GetRequiredService<WorkspaceContext>()));
        services.AddSingleton(sp => new ToolApprovals(sp.GetRequiredService<JsonRpcPeer>(), sp.GetRequiredService<ToolGrants>(),
            sp.GetRequiredService<WorkspaceContext>(), sp.GetRequiredService<ILogger<ToolApprovals>>(),
            // Read at each question, late: the servers' list reads the store and the customizations.
            server => sp.GetService<McpServerConfigs>()?.List().FirstOrDefault(c => c.Slug == server && c.Transport == McpServerConfig.Http)?.Url));
        services.AddSingleton<McpServerConfigs>();
        services.AddSingleton<McpServerKind>();
        services.AddSingleton<Codex.Kinds.IRecordKind>(sp => sp.GetRequiredService<McpServerKind>());
        services.AddSingleton(sp => new Mcp.OAuth.McpOAuth(sp.GetRequiredService<Vault.IVault>(), sp.GetRequiredService<JsonRpcPeer>(),
            sp.GetRequiredService<ILogger<Mcp.OAuth.McpOAuth>>()));
        services.AddSingleton(sp => new McpElicitation(sp.GetRequiredService<JsonRpcPeer>(), sp.GetRequiredService<ILogger<McpElicitation>>()));
        services.AddSingleton(sp => new McpFileInputs(sp.GetRequiredService<JsonRpcPeer>(), sp.GetRequiredService<Vault.IVault>(), sp.GetRequiredService<ILogger<McpFileInputs>>()));
        services.AddSingleton<McpServers>();
        services.AddSingleton<McpOfferings>();
        services.AddSingleton(sp => new ToolRunner(sp.GetServices<IAgentTool>(), sp.GetRequiredService<ToolApprovals>(),
            sp.GetRequiredService<WorkspaceContext>(), sp.GetRequiredService<McpServers>(), sp.GetRequiredService<ILogger<ToolRunner>>(),
            sp.GetService<CheckpointStore>(), sp.GetService<Customizations.IAgentHooks>(), sp.GetRequiredService<Sandbox.SandboxContext>()));
        services.AddSingleton(sp => new SandboxRetries(sp.GetRequiredService<ToolRunner>, sp.GetRequiredService<ToolGrants>(), sp.GetRequiredService<Transcripts.MessageStore>(),
            sp.GetRequiredService<Transcripts.TranscriptEvents>(), sp.GetRequiredService<WorkspaceContext>(), sp.GetRequiredService<Sandbox.SandboxContext>()));
        services.AddSingleton<Hooks.AgentHookRunner>(_ => new Hooks.AgentHookRunner());
        // Late: the containers are the agents' (AddAgents), which need the tools first; a sidecar without them runs hooks here.
        services.AddSingleton(sp => new Containers.ContainerPlaces(sp.GetService<Containers.TaskContainers>, sp.GetService<Containers.ChatContainers>, sp.GetService<TaskRecords>));
        services.AddSingleton<Customizations.IAgentHooks, Hooks.AgentHookDispatch>();

        services.AddSingleton<Providers.Acp.IAcpWorkspaceFiles, AgentWorkspaceFiles>();
        services.AddEndpoints<AgentToolEndpoints>("approvals/", "mcp/", "permissions/", "sandbox/");
        return services;
    }
}
