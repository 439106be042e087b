using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Cli;

/// <summary>
/// The whole sidecar inside the command's own process, joined to a client peer over in-memory pipes: the command line
/// calls the very endpoint tables VS Code calls (the contract of <see cref="Contract"/>), so a chat or a task made here
/// is the same record, checked by the same rules. Notifications and <c>permission/request</c> reach the command
/// through <see cref="Events"/>.
/// </summary>
internal sealed class CliSidecar : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly IHost _host;
    private readonly JsonRpcPeer _client;
    private readonly CancellationTokenSource _stop = new();
    private Task? _clientRun;

    private CliSidecar(CliEvents events, bool oneShot)
    {
        Events = events;
        // Ctrl+C is the command's (CliInterrupt): the host must not take it to stop itself, as its console lifetime would.
        _host = SidecarHost.Build(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), services =>
        {
            services.AddSingleton<IHostLifetime, CommandLifetime>();
            if (oneShot) OneShotSidecar.Configure(services);
        }, LogLevel.Warning);
        var router = new RequestRouter();
        events.Map(router);
        var logs = _host.Services.GetService(typeof(ILoggerFactory)) as ILoggerFactory;
        _client = new JsonRpcPeer(_toClient.Reader.AsStream(), _toServer.Writer.AsStream(), router,
            logs!.CreateLogger<JsonRpcPeer>(), new JsonRpcPeerOptions { RequireInitialize = false });
    }

    public CliEvents Events { get; }

    /// <summary>The sidecar's own services, for a command that works inside it (<c>plue job run</c> puts a saved transcript back).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the sidecar on <paramref name="home"/> (null: PLUE_HOME or ~/.plue) and <paramref name="workspace"/>; its warnings go to <paramref name="warnings"/>.</summary>
    /// <param name="confinesChildren">
    /// Whether the sidecar's children (MCP servers, hooks, the claude CLI and ACP agents, title generation and probes)
    /// run under the workspace's sandbox policy: in the <c>plue</c> process, whose only sidecar this is; not in a host
    /// inside another program (the tests run commands in theirs).
    /// </param>
    /// <param name="vaultKey">The vault's key (base64) when the command chose one (a job's private home); null: as docs/CLI.md says.</param>
    public static async Task<CliSidecar> StartAsync(string? home, string workspace, TextWriter warnings, bool trusted = false, bool oneShot = false, bool confinesChildren = false,
        string? vaultKey = null)
    {
        var sidecar = new CliSidecar(new CliEvents(), oneShot);
        if (confinesChildren) SidecarHost.ConfineChildren(sidecar._host);
        StartTimings.Mark("sidecar host built");
        await sidecar._host.StartAsync().ConfigureAwait(false);
        StartTimings.Mark("sidecar host started");
        sidecar._clientRun = sidecar._client.RunAsync(sidecar._stop.Token);
        await sidecar.CallAsync(Contract.Initialize, new InitializeParams
        {
            ClientInfo = new ClientInfo { Name = "plue command line" },
            // No vault key: the sidecar takes PLUE_VAULT_KEY, else the home's key file (see docs/CLI.md).
            InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = vaultKey, WorkspaceFolders = [workspace], Trusted = trusted },
        }).ConfigureAwait(false);
        if (oneShot && OneShotSidecar.HoldOwnerLock(sidecar._host.Services) is { } problem) await warnings.WriteLineAsync($"plue: warning: {problem}").ConfigureAwait(false);
        StartTimings.Mark("initialized (home, store)");
        return sidecar;
    }

    public Task<TResult> CallAsync<TParams, TResult>(RequestType<TParams, TResult> method, TParams value, CancellationToken cancellationToken = default) =>
        _client.RequestAsync(method, value, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _toServer.Writer.Complete();
        await _host.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _host.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        _toClient.Writer.Complete();
        if (_clientRun is not null) await _clientRun.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>The host lives exactly as long as the command: no signal handling of its own.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
