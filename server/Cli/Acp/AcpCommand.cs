using System.CommandLine;
using Plue.Acp;

namespace Plue.Cli.Acp;

/// <summary><c>plue acp</c>: serves the Agent Client Protocol on stdin/stdout, for editors that speak it (docs/ACP.md).</summary>
internal static class AcpCommand
{
    public static Command Create(CliGlobals globals)
    {
        var instance = new Option<string?>("--instance", "-i") { Description = "The provider instance new sessions use (name, slug or id); default: the first enabled one with a key", HelpName = "instance" };
        var model = new Option<string?>("--model", "-m") { Description = "The model new sessions use; default: the instance's default model", HelpName = "model" };
        var trust = new Option<bool>("--trust") { Description = "Trust the current folder (its templates and prompts; \"always\" answers remembered), as VS Code's trusted workspaces" };
        var command = new Command("acp", """
            Serve the Agent Client Protocol (ACP v1, one JSON-RPC message per line) on stdin/stdout, for Zed, JetBrains IDEs,
            Neovim (CodeCompanion), Emacs (agent-shell) and other ACP clients: each session is a Plue chat on this store, with
            the read, write, edit, search and bash tools, every write, edit and bash asked of the editor first. Start it in
            the project's folder (the editor does).
            """)
        {
            instance, model, trust,
        };
        globals.SetAction(command, run =>
            new AcpAgent(run.Sidecar, run.Parse.GetValue(instance), run.Parse.GetValue(model), run.Workspace)
                .ServeAsync(run.Terminal.OpenInput(), run.Terminal.OpenOutput(), run.Cancellation, run.Terminal.StdoutRoom),
            parse => parse.GetValue(trust));
        return command;
    }
}
