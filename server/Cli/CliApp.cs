using System.CommandLine;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Cli;

/// <summary>The <c>plue</c> command line: every command over the same store, providers and agents as VS Code.</summary>
internal static class CliApp
{
    // Ctrl+C is the commands' own (CliInterrupt): a chat stops its turn and stays.
    public static Task<int> RunAsync(string[] args)
    {
        StartTimings.Mark("runtime started");
        // The process is the command's own: its children run under the workspace's policy, as the sidecar's do.
        var parsed = Build(confinesChildren: true).Parse(args);
        StartTimings.Mark("command parsed");
        // A command's first answer (plue ask, plue acp) is not held up by the heap's first collection either: the hold
        // ends once the first delta is out of the process (CliEvents), not when its sidecar writes it.
        StartGc.Hold(TimeSpan.FromSeconds(5), endedByCaller: true);
        return parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <param name="terminal">Where commands read and write (null: the process's console).</param>
    /// <param name="workspace">The workspace folder (null: the current folder).</param>
    /// <param name="confinesChildren">The sidecar's children run under the workspace's policy (<see cref="CliSidecar.StartAsync"/>).</param>
    public static RootCommand Build(CliTerminal? terminal = null, string? workspace = null, bool confinesChildren = false)
    {
        var globals = new CliGlobals(terminal, workspace, confinesChildren);
        var root = new RootCommand($"""
            plue {SidecarInfo.Version}: chat with any LLM provider and run agent tasks, over the same store as the Plue
            extension for VS Code (a chat made here shows in its Channels view).
            Run without a command, plue serves JSON-RPC (LSP framing) on stdin/stdout for the extension.

            Environment: PLUE_HOME (the store, default ~/.plue), PLUE_VAULT_KEY (the vault's key, else the OS keychain's,
            else PLUE_HOME/vault.key; `plue status` says which), PLUE_KEYCHAIN=off (the key file even where a keychain answers),
            NO_COLOR (no colours), PLUE_LOG_LEVEL (stderr logs; the command line shows warnings and errors by default),
            PLUE_TIMINGS=1 (where a command's start-up time goes, on stderr).
            """);
        globals.Add(root);
        root.Add(AskCommand.Create(globals));
        root.Add(ChatCommand.Create(globals));
        root.Add(CatalogCommand.Providers(globals));
        root.Add(InstancesCommand.Create(globals));
        root.Add(EnginesCommand.Create(globals));
        root.Add(ModelsCommand.Create(globals));
        root.Add(SessionsCommand.Create(globals));
        root.Add(TaskCommand.Create(globals));
        root.Add(CatalogCommand.Create(globals));
        root.Add(CustomizationsCommand.Create(globals));
        root.Add(ApprovalsCommand.Create(globals));
        root.Add(StatusCommand.Create(globals));
        root.Add(Acp.AcpCommand.Create(globals));
        root.Add(Jobs.JobRunCommand.Create());
        return root;
    }
}
