using Microsoft.Extensions.Hosting;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// Adds every feature's endpoint table to the router (each made on its first call, or now when it tells changes from the
/// start), serves the client until exit or end of input, then stops the host.
/// </summary>
public sealed class SidecarService(SidecarCore core, IEnumerable<EndpointTable> tables, IServiceProvider services, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var table in tables) core.Router.AddTable(table.Name, table.Serves, router => table.Make(services).Map(router), now: table.AtStart);
        core.Router.Complete();
        using (stoppingToken.Register(core.RequestStop))
        {
            Environment.ExitCode = await core.Serve().ConfigureAwait(false);
        }
        lifetime.StopApplication();
    }
}
