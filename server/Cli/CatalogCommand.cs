using System.CommandLine;
using Plue.Catalog.Import;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>The provider catalog: <c>plue providers</c> lists it, <c>plue catalog import</c> regenerates the shipped one.</summary>
internal static class CatalogCommand
{
    /// <summary><c>plue providers</c>: the catalog's providers, what <c>plue instances add</c> takes.</summary>
    public static Command Providers(CliGlobals globals)
    {
        var command = new Command("providers", "List the catalog's providers (shipped and your own): id, name, wire format, models");
        globals.SetAction(command, async run =>
        {
            var providers = await run.Sidecar.CallAsync(Contract.CatalogList, new EmptyParams()).ConfigureAwait(false);
            return run.Show(providers, Contract.CatalogList.ResultType, all =>
            {
                var table = new CliTable("id", "name", "type", "models", "endpoint", "source");
                foreach (var p in all.Where(p => p.Supported))
                    table.AddRow(p.Id, p.Name, p.Type, p.ModelCount.ToString(System.Globalization.CultureInfo.InvariantCulture), p.DefaultEndpoint ?? "", p.Source);
                table.Write(run.Terminal);
            });
        });
        return command;
    }

    /// <summary><c>plue catalog import</c>: regenerates the shipped catalog from Catwalk files (catalog/README.md).</summary>
    public static Command Create(CliGlobals globals)
    {
        var from = new Argument<string>("catwalkDir") { Description = "Catwalk's provider files" };
        var to = new Argument<string>("outDir") { Description = "Where the catalog files go (catalog/ in the repository)" };
        var import = new Command("import", "Regenerate the shipped catalog from Catwalk files (see catalog/README.md)") { from, to };
        import.SetAction(parse =>
        {
            var terminal = globals.Terminal();
            return CatwalkImporter.RunCommand(parse.GetValue(from)!, parse.GetValue(to)!, terminal.Out, terminal.Error);
        });
        return new Command("catalog", "Maintain the shipped provider catalog") { import };
    }
}
