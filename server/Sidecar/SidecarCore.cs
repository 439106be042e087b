using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// What the sidecar needs to answer <c>initialize</c>, <c>plue/status</c> and <c>plue/ping</c>:
/// the peer, the client's options and the parent watch. It serves as soon as it starts, while
/// the feature host builds; calls to feature methods wait until their endpoint tables are mapped.
/// </summary>
public sealed partial class SidecarCore : IAsyncDisposable
{
    private const int MaxDelayMs = 60 * 60 * 1000;
    private const int MaxNotifications = 10_000_000;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger<SidecarCore> _logger;
    private Task<int>? _serving;

    private SidecarCore(Stream input, Stream output, LogLevel defaultLevel, Func<int, bool>? outputRoom)
    {
        // This runs before the answer to initialize, as little as the answer needs: no enum parsing, no type names read.
        var loggers = new StderrLoggerFactory(StderrLoggerFactory.Level(Environment.GetEnvironmentVariable("PLUE_LOG_LEVEL"), defaultLevel));
        LoggerFactory = loggers;
        Router = new RequestRouter(registering: true, StartWatch.TableMade);
        Peer = new JsonRpcPeer(input, output, Router, loggers.CreateLogger<JsonRpcPeer>(nameof(JsonRpcPeer)), new JsonRpcPeerOptions
        {
            Explain = StoreErrors.Explain, OutputRoom = outputRoom, NotificationWritten = StartWatch.NotificationWritten, RequestAnswered = StartWatch.RequestAnswered,
            // Messages sent while a chat or task works join its queue in the order they were written.
            InArrivalOrder = new HashSet<string>(StringComparer.Ordinal) { Contract.SessionSend.Name, Contract.TaskEnqueue.Name },
        });
        Workspace = new WorkspaceContext();
        // The Plue home, with the vault and plue.db, is hidden from every sandboxed child.
        Workspace.Initialized += () => Confinement.Hide(Workspace.Home);
        Watcher = new ParentProcessWatcher(RequestStop, loggers.CreateLogger<ParentProcessWatcher>(nameof(ParentProcessWatcher)));
        _logger = loggers.CreateLogger<SidecarCore>(nameof(SidecarCore));
        new SidecarEndpoints(this).Map(Router);
    }

    public ILoggerFactory LoggerFactory { get; }
    public RequestRouter Router { get; }
    public JsonRpcPeer Peer { get; }
    /// <summary>Set at initialize from the client's options; the features read it.</summary>
    public WorkspaceContext Workspace { get; }
    /// <summary>The workspace's sandbox policy for children that name none: off until the host confines its children.</summary>
    public Sandbox.SandboxContext Confinement { get; } = new();
    public ParentProcessWatcher Watcher { get; }
    /// <summary>Where the vault's key is, once the feature host is built.</summary>
    public Func<VaultKeyLocation>? VaultKey
    {
        get => _vaultKey;
        set
        {
            _vaultKey = value;
            if (value is not null) _featuresBuilt.TrySetResult();
        }
    }

    private Func<VaultKeyLocation>? _vaultKey;
    private readonly TaskCompletionSource _featuresBuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled when the sidecar should stop: the client process died.</summary>
    public CancellationToken StopRequested => _stop.Token;

    /// <param name="defaultLevel">The stderr log level when PLUE_LOG_LEVEL does not say (the command line logs only warnings).</param>
    /// <param name="outputRoom">Whether <paramref name="output"/> has room for a frame now (<see cref="JsonRpcPeerOptions.OutputRoom"/>).</param>
    public static SidecarCore Create(Stream input, Stream output, LogLevel defaultLevel = LogLevel.Information, Func<int, bool>? outputRoom = null) =>
        new(input, output, defaultLevel, outputRoom);

    /// <summary>Starts reading requests (once); the task ends with the LSP exit code.</summary>
    public Task<int> Serve() => _serving ??= Task.Run(() => Peer.RunAsync(_stop.Token));

    public void RequestStop() => _stop.Cancel();

    /// <summary>LSP <c>initialize</c>: takes the client's options and starts watching the client process.</summary>
    public InitializeResult Initialize(InitializeParams request)
    {
        var options = request.InitializationOptions ?? new InitializationOptions();
        try
        {
            Workspace.Initialize(options.PlueHome, options.WorkspaceFolders, options.Trusted ?? false, options.VaultKey);
        }
        catch (IOException e)
        {
            // A home that cannot be one is the client's choice to change, told as such (no stack trace in the log).
            throw RpcException.InvalidParams(e.Message);
        }
        // The watch's timer thread and the log line (its clock reads the time zone) wait until the answer is written.
        var client = request.ClientInfo?.Name ?? "unknown client";
        Peer.InitializeAnswered.ContinueWith(_ =>
        {
            if (request.ProcessId is { } pid) Watcher.Watch(pid);
            LogInitialized(client, Workspace.Home, Workspace.Folders.Count, Workspace.Trusted);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        return new InitializeResult
        {
            Capabilities = new ServerCapabilities { Areas = ["plue", "catalog"] },
            ServerInfo = new ServerInfo { Name = "plue", Version = SidecarInfo.Version },
        };
    }

    /// <summary>
    /// <c>plue/status</c>. Asked right after <c>initialize</c>, while the feature host is still being built, it waits for
    /// it (a few seconds at most) so that its answer names where the vault key is, rather than leaving it out.
    /// </summary>
    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken)
    {
        if (VaultKey is null)
            await _featuresBuilt.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return Status();
    }

    private StatusResult Status() => new()
    {
        Version = SidecarInfo.Version,
        Pid = Environment.ProcessId,
        PlueHome = Workspace.Home,
        UptimeMs = (long)SidecarInfo.Uptime.TotalMilliseconds,
        VaultKey = VaultKey?.Invoke(),
        Sandbox = SandboxNow(),
    };

    private SandboxStatus SandboxNow()
    {
        Sandbox.SandboxPolicy policy;
        try
        {
            policy = Confinement.Workspace;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The policy lives in the store: a store this sidecar cannot read (a newer Plue's) must not cost the status.
            return new SandboxStatus { Active = false, Policy = "unknown", Reason = $"the workspace's sandbox policy could not be read: {e.Message}" };
        }
        var active = Processes.ChildLauncher.Confines(policy);
        return new SandboxStatus
        {
            Active = active,
            Policy = policy.Describe(),
            Reason = active ? null : Sandbox.Bubblewrap.Missing ?? $"the workspace's sandbox policy is {policy.Name}: choose another in a sandbox-policy record naming this workspace's folders.",
            Fix = active ? null : Sandbox.Bubblewrap.Fix,
            Denials = active ? Sandbox.SandboxWatch.Status : null,
        };
    }

    /// <summary><c>plue/ping</c>: sends the pongs asked for, waits the delay asked for, answers the uptime.</summary>
    public async Task<PingResult> PingAsync(PingParams request, CancellationToken cancellationToken)
    {
        if (request.DelayMs is < 0 or > MaxDelayMs) throw RpcException.InvalidParams($"delayMs must be between 0 and {MaxDelayMs}");
        if (request.Notifications is < 0 or > MaxNotifications) throw RpcException.InvalidParams($"notifications must be between 0 and {MaxNotifications}");
        for (var i = 0; i < (request.Notifications ?? 0); i++)
            await Peer.NotifyAsync(Contract.Pong, new PongParams { Seq = i }, cancellationToken).ConfigureAwait(false);
        if (request.DelayMs is > 0 and var delay) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return new PingResult { UptimeMs = (long)SidecarInfo.Uptime.TotalMilliseconds };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialized by {Client}; home {Home}; {Folders} workspace folder(s), trusted: {Trusted}")]
    private partial void LogInitialized(string client, string home, int folders, bool trusted);

    public async ValueTask DisposeAsync()
    {
        Watcher.Dispose();
        await Peer.DisposeAsync().ConfigureAwait(false);
        LoggerFactory.Dispose();
        Confinement.Dispose();
        _stop.Dispose();
    }
}
