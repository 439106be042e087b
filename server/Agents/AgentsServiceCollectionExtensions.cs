using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Tools;
using Plue.Codex.Kinds;
using Plue.Codex.Templates;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>Agent tasks: records, runs, spawn_task, recovery, events and the task RPC methods. Needs AddAgentTools (the tool runner) and AddTranscripts (their messages).</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<LiveTasks>();
        services.AddSingleton<TaskRecords>();
        // The grants late: they read the sandbox policies, which read the store that lists this kind.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TaskKind>(sp, (Func<TaskGrants>)sp.GetRequiredService<TaskGrants>,
            (Func<Containers.TaskContainers>)sp.GetRequiredService<Containers.TaskContainers>));
        services.AddTaskContainers();
        services.AddSingleton<IRecordKind>(sp => sp.GetRequiredService<TaskKind>());
        services.AddSingleton(sp => new TaskViews(sp.GetRequiredService<TaskRecords>(), sp.GetRequiredService<MessageStore>(), () => sp.GetRequiredService<TemplateRegistry>()));
        services.AddSingleton<SpendCaps>();
        services.AddSingleton<TaskEvents>();
        services.AddSingleton<TaskGrants>();
        services.AddSingleton<Sandbox.ITaskSandboxes>(sp => new TaskSandboxes(sp));
        services.AddSingleton<ApprovalReplay>();
        services.AddSingleton<TaskQueue>();
        services.AddSingleton<Sandbox.SandboxPolicies>();
        services.AddSingleton<TaskBrief>();
        services.AddSingleton<ModelMenu>();
        services.AddSingleton<TaskCreation>();
        services.AddSingleton<TaskToolCalls>();
        services.AddSingleton<Transcripts.IChatTools, ChatTools>();
        services.AddSingleton<Mcp.ClaudeCodeTaskMcp>();
        services.AddSingleton<Backends.TaskModelTurn>();
        services.AddSingleton<Backends.ModelLoopBackend>();
        services.AddSingleton<Backends.ClaudeCodeBackend>();
        services.AddSingleton<Backends.AcpAgentBackend>();
        services.AddSingleton<Backends.TaskBackends>();
        services.AddSingleton<TaskPlaces>();
        services.AddSingleton<TaskChanges>();
        services.AddSingleton<TaskTree>();
        services.AddSingleton<TaskTurnServices>();
        services.AddSingleton<TaskRunner>();
        services.AddSingleton<TaskSpawner>();
        services.AddSingleton<TaskControl>();
        services.AddSingleton<SpendCapQuestion>();
        // Lazy: the runner needs the tool runner, which needs every tool, this one included.
        services.AddSingleton<IAgentTool>(sp => new SpawnTaskTool(new Lazy<TaskSpawner>(sp.GetRequiredService<TaskSpawner>)));
        services.AddSingleton<IAgentTool>(sp => new MergeChangesTool(new Lazy<TaskChanges>(sp.GetRequiredService<TaskChanges>),
            sp.GetRequiredService<TaskRecords>(), sp.GetRequiredService<Checkpoints.TaskWorktrees>(),
            new Lazy<TaskEvents>(sp.GetRequiredService<TaskEvents>)));
        services.AddSingleton<TaskRecovery>();
        services.AddHostedService<TaskRecoveryStart>();

        services.AddEndpoints<TaskEndpoints>("task/");
        return services;
    }

    /// <summary>Tasks' containers: their runs, the start-up sweep, and a terminal in one (the engines area's terminal methods).</summary>
    private static void AddTaskContainers(this IServiceCollection services)
    {
        services.AddSingleton<Containers.TaskContainers>();
        services.AddSingleton<Containers.ChatContainers>();
        services.AddHostedService<Containers.TaskContainerSweep>();
        services.AddSingleton(sp => new Containers.SwarmRunners(sp.GetRequiredService<EngineService>(), sp.GetRequiredService<WorkspaceContext>(), Environment.GetEnvironmentVariable));
        services.AddEndpoints<Containers.SwarmRunnerEndpoints>(Contract.EnginesRunnerImage.Name);
        services.AddSingleton<Containers.TaskTerminals>();
        services.AddEndpoints<Containers.TerminalEndpoints>(Contract.EnginesOpenTerminal.Name, Contract.EnginesWriteTerminal.Name,
            Contract.EnginesResizeTerminal.Name, Contract.EnginesCloseTerminal.Name);
    }
}
