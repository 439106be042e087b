using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Agents.Tools;
using Plue.Catalog;
using Plue.Checkpoints;
using Plue.Codex;
using Plue.Customizations;
using Plue.Engines;
using Plue.Instances;
using Plue.LanguageModels;
using Plue.Providers.ClaudeCode;
using Plue.Providers.VsCodeLm;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Store;
using Plue.Transcripts;
using Plue.Turns;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>Builds the sidecar: the JSON-RPC peer on stdio and every feature's services and handlers.</summary>
public static class SidecarHost
{
    /// <summary>
    /// Runs the sidecar on stdio until the client exits or dies. The peer serves <c>initialize</c> alone, the process
    /// doing nothing else meanwhile; the rest (its children's watchdog, the feature host) is built once it is
    /// answered, while the client sends its first feature calls, which wait for their endpoint tables.
    /// </summary>
    /// <param name="outputRoom">Whether <paramref name="output"/> has room for a frame now (<see cref="JsonRpcPeerOptions.OutputRoom"/>).</param>
    public static async Task<int> RunAsync(Stream input, Stream output, Func<int, bool>? outputRoom = null)
    {
        StartTimings.Mark("runtime started");
        await using var core = SidecarCore.Create(input, output, outputRoom: outputRoom);
        var serving = core.Serve();
        // A client that leaves before initializing gets nothing built.
        if (await Task.WhenAny(core.Peer.InitializeAnswered, serving).ConfigureAwait(false) == serving) return await serving.ConfigureAwait(false);
        StartTimings.Mark("initialize answered, the rest starts");
        // No collection of the heap until the first answer streams: the first one compacts all the start built.
        StartGc.Hold(TimeSpan.FromSeconds(5));
        StartPool.Widen();
        // Only the real process ties its children to its life; a host inside another program (the tests') does not.
        // Before the host: no feature starts a child before its table is mapped.
        if (Processes.ChildProcesses.Start() is { } reason)
            await Console.Error.WriteLineAsync($"plue: child processes may outlive a killed sidecar: {reason}").ConfigureAwait(false);
        _ = Task.Run(Providers.ClaudeCode.ClaudeCodeLaunchFiles.RemoveLeftovers);
        // The whole process is the sidecar's: its heap may be trimmed when idle (not a host's inside another program).
        using var trim = new IdleTrim(core.Peer);
        using (var host = Build(core))
        {
            StartTimings.Mark("host built");
            ConfineChildren(host);
            // A client that left while it was built (shutdown and exit at once) is not kept waiting for its start.
            if (serving.IsCompleted) return await serving.ConfigureAwait(false);
            await host.StartAsync(core.StopRequested).ConfigureAwait(false);
            StartTimings.Mark("host started");
            var tasks = host.Services.GetRequiredService<LiveTasks>();
            trim.Working = () => tasks.Any;
            trim.Arm();
            await host.WaitForShutdownAsync(core.StopRequested).ConfigureAwait(false);
        }
        return Environment.ExitCode;
    }

    /// <summary>
    /// Children of this process run under the workspace's sandbox policy from now on (docs/SANDBOX.md): the sidecar's
    /// process and the <c>plue</c> command's only, never a host inside another program (the tests'), whose long-lived
    /// children (MCP servers, the claude CLI, ACP agents) stay unconfined; a chat's or task's bash calls and hooks follow
    /// their own policy everywhere.
    /// </summary>
    public static void ConfineChildren(IHost host) =>
        host.Services.GetRequiredService<Sandbox.SandboxContext>().Confine(host.Services.GetRequiredService<Sandbox.SandboxPolicies>().ForWorkspace);

    /// <summary>The whole sidecar on the given streams; it starts serving when the host starts.</summary>
    /// <param name="configure">Runs last, so it may replace any service (tests give the claude CLI an isolated config this way).</param>
    /// <param name="logLevel">The stderr log level when PLUE_LOG_LEVEL does not say.</param>
    public static IHost Build(Stream input, Stream output, Action<IServiceCollection>? configure = null, LogLevel logLevel = LogLevel.Information)
    {
        var core = SidecarCore.Create(input, output, logLevel);
        var host = Build(core, configure);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => core.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return host;
    }

    private static SidecarApp Build(SidecarCore core, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        // One logger factory: the core's, which logs to stderr from the first request on.
        services.AddSingleton(core.LoggerFactory);
        ServiceLoggers.Add(services);
        services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(_ => new SidecarMeters());
        services.AddSingleton(core);
        services.AddSingleton(core.Router);
        services.AddSingleton(core.Peer);
        services.AddSingleton(core.Workspace);
        services.AddSingleton(core.Confinement);
        services.AddSingleton(core.Watcher);
        // First: its start only begins reads on threads of their own, which the other services' start then overlaps.
        services.AddHostedService<StartReads>();
        services.AddHostedService<SidecarService>();

        services.AddSingleton(sp => new Database(() => Path.Combine(sp.GetRequiredService<WorkspaceContext>().Home, "plue.db"),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<Database>()));
        services.AddCodex();
        services.AddCustomizations();
        services.AddSingleton<Plue.Providers.IChatClientFactory, Plue.Providers.ChatClientFactory>();
        services.AddSingleton<InstanceChecks>();
        services.AddTranscripts();
        services.AddTurns();
        services.AddSessions();
        services.AddCatalog();
        services.AddVault();
        services.AddInstances();
        services.AddClaudeCode();
        services.AddSingleton<Plue.Providers.Acp.AcpAgentSessions>();
        // VS Code's Language Model API both ways: the editor's models as a provider, Plue's instances in its picker.
        services.AddSingleton<LmPartStreams>();
        services.AddSingleton<VsCodeLmModels>();
        services.AddEndpoints<VsCodeLmEndpoints>("lm/chatPart");
        services.AddSingleton<PlueModels>();
        services.AddSingleton<PlueModelResponder>();
        services.AddEndpoints<LanguageModelEndpoints>("lm/instanceModels", "lm/respond");
        services.AddCheckpoints();
        services.AddAgentTools();
        services.AddAgents();
        services.AddSingleton<Plue.Agents.ISwarmTasks, Plue.Jobs.SwarmTasks>();
        services.AddEngines();
        services.AddHostedService<StoreWatcher>();
        configure?.Invoke(services);
        var host = SidecarApp.Build(services);
        core.VaultKey = host.Services.GetRequiredService<VaultKeySource>().Locate;
        return host;
    }
}
