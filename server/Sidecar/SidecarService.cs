using Microsoft.Extensions.Hosting;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>Registers every feature's handlers, serves the client until exit or end of input, then stops the host.</summary>
public sealed class SidecarService(SidecarCore core, IEnumerable<IRpcHandler> handlers, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var handler in handlers) handler.Register(core.Router);
        core.Router.Complete();
        using (stoppingToken.Register(core.RequestStop))
        {
            Environment.ExitCode = await core.Serve().ConfigureAwait(false);
        }
        lifetime.StopApplication();
    }
}
