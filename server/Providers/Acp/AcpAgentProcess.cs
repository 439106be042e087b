using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Plue.Acp;
using Plue.Processes;
using Plue.Rpc;
using Plue.Sandbox;

namespace Plue.Providers.Acp;

/// <summary>
/// One running ACP agent: the instance's command and arguments in the workspace folder, its environment built on
/// purpose (the basics of <see cref="ChildEnvironment"/> and the instance's own variables, never the sidecar's whole
/// one), in a process group of its own that dies with it and with the sidecar. Plue is its client: one JSON-RPC message per line on its
/// stdio, on the project's own peer (<see cref="Framing.NewlineDelimited"/>, the same limits as <c>plue acp</c>).
/// Disposing closes its stdin and kills its process tree.
/// </summary>
internal sealed class AcpAgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ChildProcessWatch _watch;
    private readonly CancellationTokenSource _stop = new();

    private AcpAgentProcess(Process process, RequestRouter router, ILogger logger, bool grouped)
    {
        _process = process;
        Peer = new JsonRpcPeer(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, router,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JsonRpcPeer>.Instance, new JsonRpcPeerOptions
            {
                RequireInitialize = false,
                Framing = Framing.NewlineDelimited,
                CancelNotification = RpcMethods.AcpCancelNotification,
            });
        _watch = new ChildProcessWatch(process, grouped);
        Serving = Task.Run(() => Peer.RunAsync(_stop.Token));
        logger.LogDebug("ACP agent started, pid {Pid}", process.Id);
    }

    /// <param name="owner">Its chat's or task's id: what its sandbox refuses is told there (<see cref="AgentProxies"/>).</param>
    public static AcpAgentProcess Start(ProviderConnection connection, string workingDirectory, RequestRouter router, ILogger logger, Sandbox.SandboxPolicy? policy = null, string? owner = null,
        SandboxContext? confinement = null)
    {
        var command = connection.CliPath is { Length: > 0 } path ? path
            : throw new ProviderException(ProviderErrorKind.BadRequest, $"The ACP agent instance '{Name(connection)}' names no command: edit it and set its program (for example claude-code-acp).");
        // Its instance's own variables name its service (a base URL) and its config folder: reachable and writable.
        var confined = AgentSandbox.For(policy ?? SandboxPolicy.Off, connection.AllowedHosts.Concat(connection.CliEnvironment.Values.SelectMany(AgentSandbox.HostsOf)));
        var proxies = confinement?.Proxies;
        var proxy = proxies?.Open(owner, confined, ChildLauncher.Confines(confined));
        // The workspace's missing planted folders, read-only while it runs (SandboxPlaceholders), released when it ends.
        var held = ChildLauncher.Confines(confined) ? SandboxPlaceholders.Hold([workingDirectory], confined) : null;
        var places = AgentSandbox.Places(confinement?.PlueHome, workingDirectory, command, connection.CliArgs,
                [.. connection.CliEnvironment.Values.Where(v => Path.IsPathRooted(v) && Directory.Exists(v))])
            // Its sign-in: which agent it wraps is not known, so the agents' sign-in files stay as they are to it.
            with { SignIn = Sandbox.SandboxPlaces.AgentSignIns };
        // What it (its tools, what it starts) is refused, the planted places that do not exist yet among them, told in its chat or task.
        var watch = proxies?.Watch(owner, confined, places, ChildLauncher.Confines(confined));
        // A group of its own unconfined (a sandbox's pid namespace is one already): what it started dies with it.
        var leader = ProcessGroups.Leader(command, ChildLauncher.Confines(confined));
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = leader ?? command,
            Arguments = connection.CliArgs,
            WorkingDirectory = workingDirectory,
            Environment = env =>
            {
                ChildEnvironment.Apply(env);
                foreach (var (name, value) in connection.CliEnvironment) env[name] = value;
            },
            Policy = confined,
            Proxy = proxy,
            Watch = watch,
            LongLived = true,
            Places = places,
            Setsid = leader is not null ? ProcessGroups.Setsid : null,
        });
        try
        {
            var process = Processes.ChildLauncher.Start(start) ?? throw new InvalidOperationException("no process");
            if (held is not null) _ = process.WaitForExitAsync().ContinueWith(_ => held.Dispose(), TaskScheduler.Default);
            return new AcpAgentProcess(process, router, logger, leader is not null) { _proxy = (proxies, owner, proxy, watch) };
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            held?.Dispose();
            proxies?.Close(owner, proxy, watch);
            throw new ProviderException(ProviderErrorKind.Unreachable,
                $"The ACP agent '{Name(connection)}' could not be started ({command}: {e.Message}): install it or fix the instance's program path.");
        }
    }

    public JsonRpcPeer Peer { get; }

    /// <summary>Its conversation, the proxy of its own under an allow-list and its sandbox's watch, closed with it.</summary>
    private (AgentProxies? Proxies, string? Owner, SandboxProxy? Proxy, SandboxWatch? Watch) _proxy;

    /// <summary>Ends when the agent's stdout closes (it exited) or the process is disposed.</summary>
    public Task Serving { get; }

    public int Pid => _process.Id;

    public bool HasExited => _watch.HasExited;

    public string StderrTail => _watch.StderrTail;

    /// <summary>The exit code once the process has ended (waits briefly for it), else null.</summary>
    public Task<int?> ExitCodeAsync() => _watch.ExitCodeAsync();

    public void Kill() => _watch.Kill();

    public static string Name(ProviderConnection connection) => connection.InstanceName ?? connection.InstanceId;

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already closed.
        }
        Kill();
        await _stop.CancelAsync().ConfigureAwait(false);
        await Serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Peer.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
        _stop.Dispose();
        _proxy.Proxies?.Close(_proxy.Owner, _proxy.Proxy, _proxy.Watch);
    }
}
