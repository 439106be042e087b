using Plue.Cli;
using Plue.Sidecar;

// Without arguments plue is the extension's sidecar (the hot path: no command-line parsing is loaded);
// with any, it is the command line.
SidecarInfo.MarkStart();
return args switch
{
    [] => await SidecarHost.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput()).ConfigureAwait(false),
    ["--version" or "-v"] => Version(),
    _ => await CliApp.RunAsync(args).ConfigureAwait(false),
};

static int Version()
{
    Console.WriteLine(SidecarInfo.Version);
    return 0;
}
