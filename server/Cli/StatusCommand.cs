using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue status</c>: the version, the home, where the vault's master key is (the OS keychain or a file), the sandbox, and whether each Docker engine answers.</summary>
internal static class StatusCommand
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("status", "Show the version, the home, where the vault's master key is kept (the OS keychain, or a 0600 key file where none answers), whether commands the agent runs are sandboxed, and whether each Docker engine answers");
        globals.SetAction(command, async run =>
        {
            // Asked beside the status: each engine may take a few seconds to answer (--json keeps the status alone).
            var reach = run.Json ? null : run.Sidecar.CallAsync(Contract.EnginesReach, new EmptyParams(), run.Cancellation);
            var status = await run.Sidecar.CallAsync(Contract.Status, new EmptyParams(), run.Cancellation).ConfigureAwait(false);
            var engines = reach is null ? [] : (await reach.ConfigureAwait(false)).Engines;
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
                // Each Docker engine, and whether it answers now (none added: nothing).
                for (var i = 0; i < engines.Count; i++)
                {
                    var e = engines[i];
                    run.Terminal.Out.WriteLine($"{(i == 0 ? "engines" : ""),-11}{e.Engine}: {(e.Ok ? $"reachable, Docker {e.Version} (API {e.ApiVersion})" : $"unreachable: {e.Error}")}");
                }
            });
        });
        return command;
    }
}
