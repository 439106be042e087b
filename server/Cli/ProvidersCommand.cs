using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue providers</c>: the catalog's providers, what <c>plue instances add</c> takes.</summary>
internal static class ProvidersCommand
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("providers", "List the catalog's providers (shipped and your own): id, name, wire format, models");
        globals.SetAction(command, async run =>
        {
            var providers = await run.Sidecar.CallAsync(Contract.CatalogList, new EmptyParams()).ConfigureAwait(false);
            if (run.Json)
            {
                CliJson.Write(run.Terminal.Out, providers, Contract.CatalogList.ResultType);
                return 0;
            }
            var table = new CliTable("id", "name", "type", "models", "endpoint", "source");
            foreach (var p in providers.Where(p => p.Supported))
                table.AddRow(p.Id, p.Name, p.Type, p.ModelCount.ToString(System.Globalization.CultureInfo.InvariantCulture), p.DefaultEndpoint ?? "", p.Source);
            table.Write(run.Terminal);
            return 0;
        });
        return command;
    }
}
