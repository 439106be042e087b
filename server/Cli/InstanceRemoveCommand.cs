using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue instances remove</c>: asks first on a terminal; a script says <c>--yes</c>.</summary>
internal static class InstanceRemoveCommand
{
    public static Command Create(CliGlobals globals)
    {
        var name = InstancesCommand.NameArgument();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("remove", "Remove an instance and the key it keeps in the vault (chats that used it stay)") { name, yes };
        globals.SetAction(command, async run =>
        {
            var instance = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(name)).ConfigureAwait(false);
            if (instance.FromEnvironment)
                throw new CliError($"{instance.DisplayName} comes from the environment variable {instance.EnvVar}: unset it to remove it.", CliError.Usage);
            if (!run.Parse.GetValue(yes) && !CliPrompt.Confirm(run.Terminal, $"Remove {instance.DisplayName} and its key?"))
                throw new CliError("Not removed" + (run.Terminal.CanAsk ? "." : ": confirm with --yes when not on a terminal."), CliError.Usage);
            await run.Sidecar.CallAsync(Contract.InstancesDelete, new IdParams { Id = instance.Id }).ConfigureAwait(false);
            if (run.Json) CliJson.Write(run.Terminal.Out, new DeletedResult { Deleted = true }, Contract.InstancesDelete.ResultType);
            else run.Terminal.Line($"Removed {instance.DisplayName}.", "green");
            return 0;
        });
        return command;
    }
}
