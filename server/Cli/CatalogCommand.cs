using System.CommandLine;
using Plue.Catalog.Import;

namespace Plue.Cli;

/// <summary><c>plue catalog import</c>: regenerates the shipped catalog from Catwalk files (catalog/README.md).</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var from = new Argument<string>("catwalkDir") { Description = "Catwalk's provider files" };
        var to = new Argument<string>("outDir") { Description = "Where the catalog files go (catalog/ in the repository)" };
        var import = new Command("import", "Regenerate the shipped catalog from Catwalk files (see catalog/README.md)") { from, to };
        import.SetAction(parse => CatwalkImporter.RunCommand(parse.GetValue(from)!, parse.GetValue(to)!, Console.Out, Console.Error));
        return new Command("catalog", "Maintain the shipped provider catalog") { import };
    }
}
