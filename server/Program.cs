using Plue.Cli;
using Plue.Sidecar;

// Without arguments plue is the extension's sidecar (the hot path: no command-line parsing is loaded);
// with any, it is the command line.
// Inside an allow-list's sandbox, before anything else: on the path of every command run there.
if (args is [Plue.Sandbox.SandboxBridge.Flag, ..]) return Plue.Sandbox.SandboxBridge.Run(args);
SidecarInfo.MarkStart();
// Before the first socket: the runtime reads this once.
SocketCompletions.Inline();
return args switch
{
    [] => await SidecarHost.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), Plue.Rpc.OutputRoom.OnStandardOutput).ConfigureAwait(false),
    ["--version" or "-v"] => Version(),
    _ => await Command(args).ConfigureAwait(false),
};

// The command line runs the whole sidecar in its own process: what it starts (a task's commands) dies with it too.
static async Task<int> Command(string[] args)
{
    if (args is not ["job", ..]) _ = Plue.Processes.ChildProcesses.Start(leadGroup: false);
    return await CliApp.RunAsync(args).ConfigureAwait(false);
}

static int Version()
{
    Console.WriteLine(SidecarInfo.Version);
    return 0;
}
