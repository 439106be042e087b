using Plue.Catalog.Import;
using Plue.Sidecar;

switch (args)
{
    case ["--version" or "-v"]:
        Console.WriteLine(SidecarInfo.Version);
        return 0;
    case ["--help" or "-h"]:
        Console.WriteLine("""
            plue: the Plue sidecar.

            Usage:
              plue              serve JSON-RPC (LSP framing) on stdin/stdout; logs go to stderr
              plue --version    print the version
              plue catalog import <catwalkDir> <outDir>
                                regenerate the shipped catalog from Catwalk files (see catalog/README.md)

            Environment:
              PLUE_HOME         the store (default ~/.plue)
              PLUE_LOG_LEVEL    Trace, Debug, Information (default), Warning, Error
            """);
        return 0;
    case ["catalog", "import", var catwalkDir, var outDir]:
        return CatwalkImporter.RunCommand(catwalkDir, outDir, Console.Out, Console.Error);
    case []:
        return await SidecarHost.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()).ConfigureAwait(false);
    default:
        await Console.Error.WriteLineAsync($"plue: unknown arguments '{string.Join(' ', args)}'; try plue --help").ConfigureAwait(false);
        return 2;
}
