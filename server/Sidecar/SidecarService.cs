using Microsoft.Extensions.Hosting;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>Maps every feature's endpoint table, serves the client until exit or end of input, then stops the host.</summary>
public sealed class SidecarService(SidecarCore core, IEnumerable<IEndpoints> tables, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var table in tables) table.Map(core.Router);
        core.Router.Complete();
        using (stoppingToken.Register(core.RequestStop))
        {
            Environment.ExitCode = await core.Serve().ConfigureAwait(false);
        }
        lifetime.StopApplication();
    }
}
