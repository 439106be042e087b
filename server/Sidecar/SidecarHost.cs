using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Agents.Tools;
using Plue.Catalog;
using Plue.Codex;
using Plue.Instances;
using Plue.Providers.ClaudeCode;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Store;
using Plue.Vault;

namespace Plue.Sidecar;

/// <summary>Builds the sidecar: the JSON-RPC peer on stdio and every feature's services and handlers.</summary>
public static class SidecarHost
{
    /// <param name="configure">Runs last, so it may replace any service (tests give the claude CLI an isolated config this way).</param>
    public static IHost Build(Stream input, Stream output, Action<IServiceCollection>? configure = null)
    {
        // The empty builder reads no config files and adds no console logger: start-up is on the user's critical path.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var level = LogLevelFromEnvironment();
        // The host's own filter defaults to Information: without this, PLUE_LOG_LEVEL=Debug showed nothing more.
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddProvider(new StderrLoggerProvider(level));

        var services = builder.Services;
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.AddSingleton<RequestRouter>();
        services.AddSingleton(sp => new JsonRpcPeer(input, output, sp.GetRequiredService<RequestRouter>(),
            sp.GetRequiredService<ILogger<JsonRpcPeer>>()));
        services.AddSingleton<SidecarSession>();
        services.AddSingleton<ParentProcessWatcher>();
        services.AddHostedService<SidecarService>();

        services.AddSingleton<IRpcHandler, InitializeHandler>();
        services.AddSingleton<IRpcHandler, GetStatusHandler>();
        services.AddSingleton<IRpcHandler, PingHandler>();

        services.AddSingleton(sp => new Database(() => Path.Combine(sp.GetRequiredService<SidecarSession>().Home, "plue.db")));
        services.AddCodex();
        services.AddSingleton<Plue.Providers.IChatClientFactory, Plue.Providers.ChatClientFactory>();
        services.AddSingleton<Plue.Providers.InstanceChecks>();
        services.AddSessions();
        services.AddCatalog();
        services.AddVault();
        services.AddInstances();
        services.AddClaudeCode();
        services.AddAgentTools();
        services.AddAgents();
        configure?.Invoke(services);
        return builder.Build();
    }

    private static LogLevel LogLevelFromEnvironment() =>
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("PLUE_LOG_LEVEL"), ignoreCase: true, out var level) ? level : LogLevel.Information;
}
