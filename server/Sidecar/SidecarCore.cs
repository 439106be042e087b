using Microsoft.Extensions.Logging;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// What the sidecar needs to answer <c>initialize</c>, <c>plue/status</c> and <c>plue/ping</c>:
/// the peer, the client's options and the parent watch. It serves as soon as it starts, while
/// the feature host builds; calls to feature methods wait until their handlers are registered.
/// </summary>
public sealed class SidecarCore : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task<int>? _serving;

    private SidecarCore(Stream input, Stream output)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("PLUE_LOG_LEVEL"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        LoggerFactory = new LoggerFactory([new StderrLoggerProvider(level)], new LoggerFilterOptions { MinLevel = level });
        Router = new RequestRouter(registering: true);
        Peer = new JsonRpcPeer(input, output, Router, LoggerFactory.CreateLogger<JsonRpcPeer>());
        Session = new SidecarSession();
        Watcher = new ParentProcessWatcher(RequestStop, LoggerFactory.CreateLogger<ParentProcessWatcher>());
        new InitializeHandler(Session, Watcher, LoggerFactory.CreateLogger<InitializeHandler>()).Register(Router);
        new GetStatusHandler(Session).Register(Router);
        new PingHandler().Register(Router);
    }

    public ILoggerFactory LoggerFactory { get; }
    public RequestRouter Router { get; }
    public JsonRpcPeer Peer { get; }
    public SidecarSession Session { get; }
    public ParentProcessWatcher Watcher { get; }

    /// <summary>Cancelled when the sidecar should stop: the client process died.</summary>
    public CancellationToken StopRequested => _stop.Token;

    public static SidecarCore Create(Stream input, Stream output) => new(input, output);

    /// <summary>Starts reading requests (once); the task ends with the LSP exit code.</summary>
    public Task<int> Serve() => _serving ??= Task.Run(() => Peer.RunAsync(_stop.Token));

    public void RequestStop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        Watcher.Dispose();
        await Peer.DisposeAsync().ConfigureAwait(false);
        LoggerFactory.Dispose();
        _stop.Dispose();
    }
}
