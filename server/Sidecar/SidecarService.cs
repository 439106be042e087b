using Microsoft.Extensions.Hosting;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>Registers every handler, serves the client until exit or end of input, then stops the host.</summary>
public sealed class SidecarService(JsonRpcPeer peer, RequestRouter router, IEnumerable<IRpcHandler> handlers, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var handler in handlers) handler.Register(router);
        Environment.ExitCode = await peer.RunAsync(stoppingToken).ConfigureAwait(false);
        await peer.DisposeAsync().ConfigureAwait(false);
        lifetime.StopApplication();
    }
}
