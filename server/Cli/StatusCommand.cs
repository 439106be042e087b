using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue status</c>: the version, the home, and where the vault's master key is (the OS keychain or a file).</summary>
internal static class StatusCommand
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("status", "Show the version, the home, where the vault's master key is kept (the OS keychain, or a 0600 key file where none answers), and whether commands the agent runs are sandboxed");
        globals.SetAction(command, async run =>
        {
            var status = await run.Sidecar.CallAsync(Contract.Status, new EmptyParams(), run.Cancellation).ConfigureAwait(false);
            return run.Show(status, Contract.Status.ResultType, s =>
            {
                run.Terminal.Out.WriteLine($"plue {s.Version}");
                run.Terminal.Out.WriteLine($"home       {s.PlueHome}");
                if (s.VaultKey is { } key) run.Terminal.Out.WriteLine($"vault key  {key.Description}");
                if (s.Sandbox is { } sandbox)
                {
                    run.Terminal.Out.WriteLine(sandbox.Active ? $"sandbox    active: {sandbox.Policy}{(sandbox.Denials is { } denials ? $"; {denials}" : "")}" : $"sandbox    not active: {sandbox.Reason}");
                    if (sandbox.Fix is { } fix) run.Terminal.Out.WriteLine($"           to fix it, run:\n{string.Join('\n', fix.Split('\n').Select(line => "             " + line))}");
                }
            });
        });
        return command;
    }
}
