using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Agents.Hooks;
using Plue.Agents.Mcp;
using Plue.Agents.Mcp.OAuth;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Catalog;
using Plue.Checkpoints;
using Plue.Codex.Automation;
using Plue.Codex.Templates;
using Plue.Customizations;
using Plue.Providers.ClaudeCode;
using Plue.Providers.VsCodeLm;
using Plue.Sessions;
using Plue.Transcripts;
using Plue.Vault;

namespace Plue.Sidecar;

/// <summary>
/// The typed loggers the features' services take, each registered closed. Left to the open <c>ILogger&lt;&gt;</c>, the
/// container closes it for each class on first use, and under Native AOT that builds every <c>Logger&lt;T&gt;</c> type
/// from metadata at run time: the largest part of the container's work before a cold start's first answer. A service
/// that takes one not listed here still gets it from the open registration, the slow way (ServiceLoggersTests lists them).
/// </summary>
internal static class ServiceLoggers
{
    public static void Add(IServiceCollection services)
    {
        AddChats(services);
        AddTasks(services);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }

    private static void AddChats(IServiceCollection services)
    {
        Add<AgentHookDispatch>(nameof(AgentHookDispatch));
        Add<CatalogStore>(nameof(CatalogStore));
        Add<ChatTitles>(nameof(ChatTitles));
        Add<ChatTurnRunner>(nameof(ChatTurnRunner));
        Add<ChatTurnSetup>(nameof(ChatTurnSetup));
        Add<Turns.TurnCompaction>(nameof(Turns.TurnCompaction));
        Add<ChatWarmup>(nameof(ChatWarmup));
        Add<CheckpointStore>(nameof(CheckpointStore));
        Add<ClaudeCodeSessions>(nameof(ClaudeCodeSessions));
        Add<ClaudeCodeTaskMcp>(nameof(ClaudeCodeTaskMcp));
        Add<CustomizationRegistry>(nameof(CustomizationRegistry));
        Add<FallbackChain>(nameof(FallbackChain));
        Add<FileVault>(nameof(FileVault));
        Add<HookEngine>(nameof(HookEngine));
        Add<McpElicitation>(nameof(McpElicitation));
        Add<McpFileInputs>(nameof(McpFileInputs));
        Add<CustomCommandGate>(nameof(CustomCommandGate));
        Add<McpOAuth>(nameof(McpOAuth));
        Add<SpendCapQuestion>(nameof(SpendCapQuestion));
        Add<StartReads>(nameof(StartReads));
        Add<StoreWatcher>(nameof(StoreWatcher));
        Add<TemplateRegistry>(nameof(TemplateRegistry));
        Add<TranscriptRecovery>(nameof(TranscriptRecovery));
        Add<TranscriptWriter>(nameof(TranscriptWriter));
        Add<UndoSecrets>(nameof(UndoSecrets));
        Add<VaultKeySource>(nameof(VaultKeySource));
        Add<VsCodeLmEndpoints>(nameof(VsCodeLmEndpoints));

        void Add<T>(string name) => One<T>(services, name);
    }

    private static void AddTasks(IServiceCollection services)
    {
        Add<Jobs.SwarmTasks>(nameof(Jobs.SwarmTasks));
        Add<TaskBrief>(nameof(TaskBrief));
        Add<TaskControl>(nameof(TaskControl));
        Add<TaskEvents>(nameof(TaskEvents));
        Add<TaskPlaces>(nameof(TaskPlaces));
        Add<TaskRecovery>(nameof(TaskRecovery));
        Add<TaskRunner>(nameof(TaskRunner));
        Add<Agents.Containers.TaskContainers>(nameof(Agents.Containers.TaskContainers));
        Add<Agents.Containers.TaskTerminals>(nameof(Agents.Containers.TaskTerminals));
        Add<TaskToolCalls>(nameof(TaskToolCalls));
        Add<TaskWorktrees>(nameof(TaskWorktrees));
        Add<ToolApprovals>(nameof(ToolApprovals));
        Add<ToolGrants>(nameof(ToolGrants));
        Add<ToolRunner>(nameof(ToolRunner));

        void Add<T>(string name) => One<T>(services, name);
    }

    // The core's factory names a typed logger without reflection; another one (a test's) makes its own.
    private static void One<T>(IServiceCollection services, string name) =>
        services.AddSingleton<ILogger<T>>(sp => sp.GetRequiredService<ILoggerFactory>() is StderrLoggerFactory stderr
            ? stderr.CreateLogger<T>(name)
            : new Logger<T>(sp.GetRequiredService<ILoggerFactory>()));
}
