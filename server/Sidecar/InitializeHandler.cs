using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>LSP <c>initialize</c>: takes the client's options and starts watching the client process.</summary>
public sealed partial class InitializeHandler(SidecarSession session, ParentProcessWatcher watcher, ILogger<InitializeHandler> logger)
    : RequestHandler<InitializeParams, InitializeResult>
{
    public override string Method => RpcMethods.Initialize;
    protected override JsonTypeInfo<InitializeParams> ParamsType => PlueJsonContext.Default.InitializeParams;
    protected override JsonTypeInfo<InitializeResult> ResultType => PlueJsonContext.Default.InitializeResult;

    public override ValueTask<InitializeResult> HandleAsync(InitializeParams request, RequestContext context, CancellationToken cancellationToken)
    {
        session.Initialize(request.InitializationOptions);
        if (request.ProcessId is { } pid) watcher.Watch(pid);
        LogInitialized(request.ClientInfo?.Name ?? "unknown client", session.Home, session.WorkspaceFolders.Count, session.WorkspaceTrusted);
        return ValueTask.FromResult(new InitializeResult
        {
            Capabilities = new ServerCapabilities { Areas = ["plue", "catalog"] },
            ServerInfo = new ServerInfo { Name = "plue", Version = SidecarInfo.Version },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialized by {Client}; home {Home}; {Folders} workspace folder(s), trusted: {Trusted}")]
    private partial void LogInitialized(string client, string home, int folders, bool trusted);
}
