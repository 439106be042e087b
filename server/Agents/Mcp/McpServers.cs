using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Plue.Agents.Mcp.OAuth;
using Plue.Agents.Tools;
using Plue.Codex.Content;
using Plue.Outbound;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The MCP servers of this sidecar: each started on first use (one start shared by concurrent callers), restarted
/// when its record changed, and stopped at shutdown. A start that fails is forgotten, so the next use tries again.
/// A remote server is connected to over Streamable HTTP; only a test the user started may sign in to it.
/// </summary>
public sealed partial class McpServers(McpServerConfigs configs, IVault vault, WorkspaceContext session, McpOAuth oauth, McpElicitation elicitation,
    McpFileInputs inputs, ILoggerFactory loggerFactory, Sandbox.SandboxContext sandbox, JsonRpcPeer peer)
    : IAsyncDisposable, IDisposable
{
    /// <summary>How long a test waits for a remote server when it may sign in: the user's time in the browser.</summary>
    private static readonly TimeSpan s_signInLimit = TimeSpan.FromMinutes(6);

    private readonly ConcurrentDictionary<string, Lazy<Task<McpConnection>>> _running = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<McpServers>();
    private bool _disposed;

    /// <summary>
    /// The server's tools, starting it if needed under <paramref name="policy"/> (null: the workspace's), in
    /// <paramref name="container"/> when its caller's commands run in one.
    /// </summary>
    public async Task<IReadOnlyList<McpAgentTool>> ToolsAsync(string server, CancellationToken cancellationToken, Sandbox.SandboxPolicy? policy = null,
        Containers.TaskContainer? container = null) =>
        (await ConnectAsync(server, cancellationToken, policy, container).ConfigureAwait(false)).Tools;

    /// <summary>The tools of a server already running under <paramref name="policy"/> (in <paramref name="container"/>); empty otherwise (nothing is started).</summary>
    public IReadOnlyList<McpAgentTool> StartedTools(string server, Sandbox.SandboxPolicy? policy = null, Containers.TaskContainer? container = null) =>
        _running.TryGetValue(Key(server, policy, container), out var start) && start.IsValueCreated && start.Value.IsCompletedSuccessfully ? start.Value.Result.Tools : [];

    /// <summary>The tool named <c>mcp__server__tool</c>, starting its server if needed; null when the server has no such tool.</summary>
    public async Task<McpAgentTool?> FindAsync(string name, CancellationToken cancellationToken, Sandbox.SandboxPolicy? policy = null, Containers.TaskContainer? container = null)
    {
        if (ToolNames.McpServerOf(name) is not { } server) return null;
        var tools = await ToolsAsync(server, cancellationToken, policy, container).ConfigureAwait(false);
        return tools.FirstOrDefault(t => t.Name == name);
    }

    /// <summary>
    /// A stdio server runs once per distinct policy its callers run under (a read-only chat's is not a writing task's),
    /// and once in each container that runs a caller's commands; a remote one once: no process of ours runs it.
    /// </summary>
    private string Key(string server, Sandbox.SandboxPolicy? policy, Containers.TaskContainer? container = null) =>
        configs.Find(server) is { IsRemote: true } ? server
            : container is not null ? $"{server}\ncontainer {container.Id}" : $"{server}\n{sandbox.Or(policy).Key}";

    /// <summary>The running connection to an enabled server, starting it if needed (never signing in) under <paramref name="policy"/>.</summary>
    public async Task<McpConnection> ConnectAsync(string server, CancellationToken cancellationToken, Sandbox.SandboxPolicy? policy = null, Containers.TaskContainer? container = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var config = configs.Find(server)
            ?? throw new McpException($"No MCP server '{server}' is configured: add an mcp-server record (codex://mcp-servers/{server}).");
        if (!config.Enabled) throw new McpException($"The MCP server '{server}' is disabled in its record.");
        while (true)
        {
            var key = Key(server, policy, container);
            var start = _running.GetOrAdd(key, _ => new Lazy<Task<McpConnection>>(() => config.IsRemote || container is null
                ? StartAsync(config, policy) : StartInAsync(config, sandbox.Or(policy), container, key)));
            McpConnection connection;
            try
            {
                // The start is shared and has its own timeout: one caller's interrupt must not fail it for the others.
                connection = await start.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _running.TryRemove(KeyValuePair.Create(key, start));
                throw;
            }
            if (connection.Config.Version == config.Version) return connection;
            if (_running.TryRemove(KeyValuePair.Create(key, start)))
            {
                LogRestart(server);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Starts the server as configured, in a process of its own (never the one tasks share), lists its tools and stops
    /// it: whether it works now. A disabled server may be probed, so it can be checked before it is enabled.
    /// </summary>
    public async Task<IReadOnlyList<McpAgentTool>> ProbeAsync(McpServerConfig config, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await inputs.EnsureAsync(config, cancellationToken).ConfigureAwait(false);
        var secrets = new McpSecrets(vault, config.Slug);
        var connection = await McpConnection.StartAsync(config, Transport(config, interactive: true, secrets), loggerFactory, cancellationToken,
            config.IsRemote ? s_signInLimit : null, elicitation.Handlers(config), secrets).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            LogProbed(config.Slug, connection.Tools.Count);
            return connection.Tools;
        }
    }

    /// <summary>
    /// Tests an <c>mcp-server</c> record as configured (disabled or not): its tools, from a start of its own. A server
    /// that cannot start is an <see cref="PlueErrorCodes.McpServerError"/> whose message says why.
    /// </summary>
    public async Task<McpToolsResult> TestAsync(CodexRecord record, CancellationToken cancellationToken)
    {
        if (record.TemplateId != McpServerConfig.TemplateId)
            throw RpcException.InvalidParams($"'{record.Title}' is a {record.TemplateId} record, not an MCP server ({McpServerConfig.TemplateId})");
        IReadOnlyList<McpAgentTool> tools;
        try
        {
            tools = await ProbeAsync(McpServerKind.Config(record), cancellationToken).ConfigureAwait(false);
        }
        catch (McpException e)
        {
            throw new RpcException(PlueErrorCodes.McpServerError, e.Message, inner: e);
        }
        return new McpToolsResult
        {
            Server = record.Slug,
            Tools = [.. tools.Select(t => new McpToolSummary { Name = t.ServerToolName, AgentName = t.Name, Description = t.ServerDescription })],
        };
    }

    /// <summary>
    /// Starts a stdio server in <paramref name="container"/>; it is stopped when the container's run ends (its
    /// container goes with it), and the next run's container starts its own.
    /// </summary>
    private async Task<McpConnection> StartInAsync(McpServerConfig config, Sandbox.SandboxPolicy policy, Containers.TaskContainer container, string key)
    {
        await inputs.EnsureAsync(config, CancellationToken.None).ConfigureAwait(false);
        var secrets = new McpSecrets(vault, config.Slug);
        if (string.IsNullOrWhiteSpace(config.Command)) throw new McpException($"MCP server '{config.Slug}' has no command.");
        var environment = McpLaunch.OwnEnvironment(config, vault, secrets).Select(v => $"{v.Key}={v.Value}").ToList();
        var connection = await McpConnection.StartAsync(config, new McpContainerTransport(config, container, environment, policy, loggerFactory), loggerFactory,
            handlers: elicitation.Handlers(config), secrets: secrets).ConfigureAwait(false);
        LogStartedIn(config.Slug, connection.Tools.Count, container.Info.Engine);
        container.Ended.Register(() => _ = StopAsync(key));
        return connection;
    }

    /// <summary>Stops the server started under <paramref name="key"/> (its container's run ended).</summary>
    private async Task StopAsync(string key)
    {
        if (!_running.TryRemove(key, out var start)) return;
        try
        {
            await (await start.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogStopFailed(e.Message);
        }
    }

    private async Task<McpConnection> StartAsync(McpServerConfig config, Sandbox.SandboxPolicy? policy)
    {
        // A file's server asks for its inputs first (once: they are kept in the vault).
        await inputs.EnsureAsync(config, CancellationToken.None).ConfigureAwait(false);
        var secrets = new McpSecrets(vault, config.Slug);
        // What the sandbox refuses it while it runs, told with each of its tool calls (docs/SANDBOX.md "Denials").
        var sandbox = SandboxSight(config, policy);
        McpConnection connection;
        try
        {
            connection = await McpConnection.StartAsync(config, Transport(config, interactive: false, secrets, policy, sandbox?.Watch, sandbox?.Proxy), loggerFactory,
                handlers: elicitation.Handlers(config), secrets: secrets, sandbox: sandbox?.Denials).ConfigureAwait(false);
        }
        catch
        {
            sandbox?.Denials.Dispose();
            throw;
        }
        LogStarted(config.Slug, connection.Tools.Count);
        // Shared by the chats and tasks under its policy, it belongs to none: what no call tells reaches the window.
        sandbox?.Denials.WhenUnheard(UnheardAfter(), denials => _ = peer.NotifyAsync(Contract.SandboxRefused, Unheard(config, denials)).AsTask());
        return connection;
    }

    /// <summary>How long what the sandbox refused a server waits for its next call's card: <c>PLUE_SANDBOX_UNHEARD_SECONDS</c>, else 20 s.</summary>
    private static TimeSpan UnheardAfter() =>
        double.TryParse(Environment.GetEnvironmentVariable("PLUE_SANDBOX_UNHEARD_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(20);

    /// <summary>The window's notice of what the sandbox refused <paramref name="config"/>'s server while no chat or task used it.</summary>
    private SandboxRefusedParams Unheard(McpServerConfig config, IReadOnlyList<Sandbox.SandboxDenial> denials)
    {
        var folders = session.Folders;
        string Shown(Sandbox.SandboxDenial d)
        {
            if (d.Kind == Sandbox.SandboxDenial.Host) return $"connecting to {d.What}";
            var root = folders.FirstOrDefault(f => d.What.StartsWith(f.TrimEnd('/') + "/", StringComparison.Ordinal));
            return root is null ? $"writing {d.What}" : $"writing {Path.GetRelativePath(root, d.What)} in the workspace";
        }
        var hosts = denials.Any(d => d.Kind == Sandbox.SandboxDenial.Host);
        var paths = denials.Any(d => d.Kind == Sandbox.SandboxDenial.Path);
        var where = hosts && paths ? "its allowed hosts or writable paths" : hosts ? "its allowed hosts" : "its writable paths";
        return new SandboxRefusedParams
        {
            Server = config.Title,
            Denials = Plue.Sandbox.SandboxDenial.Info(denials),
            Message = $"The sandbox refused the MCP server '{config.Title}' while no chat or task was using it: {string.Join("; ", denials.Select(Shown))}. "
                + $"It runs on without it. If the server needs it, add it to the workspace's sandbox policy ({where}) and restart the server, or allow it from the card when a chat's call to the server is refused.",
        };
    }

    /// <summary>A confined stdio server's watch (where the C bridge is) and its own proxy under an allow-list; null otherwise.</summary>
    private (Sandbox.SandboxWatch? Watch, Sandbox.SandboxProxy? Proxy, Sandbox.ChildDenials Denials)? SandboxSight(McpServerConfig config, Sandbox.SandboxPolicy? policy)
    {
        var effective = McpLaunch.Policy(sandbox.Or(policy));
        if (config.IsRemote || !Processes.ChildLauncher.Confines(effective)) return null;
        var watch = Sandbox.SandboxWatch.Available ? new Sandbox.SandboxWatch() : null;
        var proxy = effective.Network == Sandbox.SandboxNetwork.AllowList ? Sandbox.SandboxProxy.Start(effective.AllowedHosts) : null;
        return (watch, proxy, new Sandbox.ChildDenials(watch, proxy));
    }

    /// <summary>The server's transport: its program on stdio, or its URL (signing in only when <paramref name="interactive"/>).</summary>
    private IClientTransport Transport(McpServerConfig config, bool interactive, McpSecrets secrets, Sandbox.SandboxPolicy? policy = null, Sandbox.SandboxWatch? watch = null,
        Sandbox.SandboxProxy? proxy = null)
    {
        if (!config.IsRemote)
        {
            // The workspace's missing planted folders made read-only for as long as the server runs (SandboxPlaceholders).
            var folder = WorkingDirectory();
            var launched = McpLaunch.Policy(sandbox.Or(policy));
            var held = Processes.ChildLauncher.Confines(launched) && folder != Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
                ? Sandbox.SandboxPlaceholders.Hold([folder], launched) : null;
            try
            {
                return McpLaunch.Transport(McpLaunch.Options(config, vault, folder, secrets, sandbox.Or(policy), watch, sandbox.PlueHome, proxy), loggerFactory, held);
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }
        var options = McpRemote.Options(config, vault, () => oauth.For(config, interactive), secrets);
        // Bounded, the SDK's OAuth requests included: a hostile authorization server cannot exhaust memory or redirect a token request.
        var http = BoundedHttp.ForMcpServer(options.Endpoint, [.. config.Headers.Select(h => h.Key)], out var bounded);
        return new McpHttpTransport(new HttpClientTransport(options, http, loggerFactory, ownsHttpClient: true), bounded);
    }

    /// <summary>The first workspace folder (its real path), else the user's home.</summary>
    private string WorkingDirectory()
    {
        var folders = session.Folders;
        return (folders.Count > 0 ? ConfinedPath.RealPath(folders[0]) : null)
            ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var start in _running.Values)
        {
            if (!start.IsValueCreated) continue;
            try
            {
                await (await start.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogStopFailed(e.Message);
            }
        }
        _running.Clear();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} started with {Count} tool(s)")]
    private partial void LogStarted(string server, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} started with {Count} tool(s) in a container on {Engine}")]
    private partial void LogStartedIn(string server, int count, string engine);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} tested: it started and listed {Count} tool(s)")]
    private partial void LogProbed(string server, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} changed: restarting it")]
    private partial void LogRestart(string server);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An MCP server did not start or stop cleanly: {Reason}")]
    private partial void LogStopFailed(string reason);
}
