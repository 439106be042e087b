using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue instances list|add|key|test|enable|disable|remove</c>: the provider instances VS Code's Providers view shows.</summary>
internal static class InstancesCommand
{
    public static Command Create(CliGlobals globals)
    {
        return new Command("instances", "Manage provider instances (the Providers view in VS Code)")
        {
            List(globals),
            InstanceAddCommand.Create(globals),
            Key(globals),
            Test(globals),
            Enable(globals, "enable", true),
            Enable(globals, "disable", false),
            InstanceRemoveCommand.Create(globals),
        };
    }

    public static Argument<string> NameArgument() => new("instance") { Description = "The instance's name (as `plue instances list` shows it), slug or id" };

    private static Command List(CliGlobals globals)
    {
        var list = new Command("list", "List provider instances: name, provider, endpoint, default model, key and state");
        globals.SetAction(list, ListAsync);
        return list;
    }

    private static async Task<int> ListAsync(CliRun run)
    {
        var all = await CliInstances.ListAsync(run.Sidecar).ConfigureAwait(false);
        return run.Show(all, Contract.InstancesList.ResultType, instances =>
        {
            if (instances.Count == 0)
            {
                run.Terminal.Line("No provider instances yet: add one with `plue instances add <provider>` (`plue providers` lists them).");
                return;
            }
            var table = new CliTable("name", "provider", "endpoint", "default model", "key", "state");
            foreach (var i in instances)
                table.AddRow(i.DisplayName, i.CatalogProviderId, i.Endpoint ?? "", i.DefaultModel ?? "", KeyText(i), i.Enabled ? "enabled" : "disabled");
            table.Write(run.Terminal);
        });
    }

    internal static string KeyText(ProviderInstance i) =>
        i.FromEnvironment ? $"from {i.EnvVar}" : i.HasKey ? "in the vault" : "none";

    private static Command Key(CliGlobals globals)
    {
        var name = NameArgument();
        var key = new CliKey();
        var command = new Command("key", "Set an instance's API key (typed without echo, or --key-env / --key-stdin); it goes to the encrypted vault") { name };
        key.AddTo(command);
        globals.SetAction(command, async run =>
        {
            var instance = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(name)).ConfigureAwait(false);
            var value = key.Read(run.Parse, run.Terminal, $"API key for {instance.DisplayName}: ")
                ?? throw new CliError("No key given: type it on a terminal, or use --key-env NAME or --key-stdin.", CliError.Usage);
            var updated = await run.Sidecar.CallAsync(Contract.InstancesUpdate, new UpdateInstanceParams { Id = instance.Id, Version = instance.Version, ApiKey = value }).ConfigureAwait(false);
            return Done(run, updated, $"The key of {updated.DisplayName} is in the vault.");
        });
        return command;
    }

    private static Command Test(CliGlobals globals)
    {
        var name = NameArgument();
        var command = new Command("test", "Call the instance's provider once: says whether it answers, how fast, and how many models it lists") { name };
        globals.SetAction(command, async run =>
        {
            var instance = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(name)).ConfigureAwait(false);
            var result = await run.Sidecar.CallAsync(Contract.InstancesTest, new IdParams { Id = instance.Id }, run.Cancellation).ConfigureAwait(false);
            if (run.Json) CliJson.Write(run.Terminal.Out, result, Contract.InstancesTest.ResultType);
            else if (result.Ok) run.Terminal.Line($"{instance.DisplayName} works: {result.LatencyMs} ms" + (result.ModelCount is { } n ? $", {n} models" : "") + (result.Agent is { } agent ? $", {agent}" : ""), "green");
            else run.Terminal.Error.WriteLine($"plue: {instance.DisplayName} does not work: {result.Error}");
            return result.Ok ? 0 : CliError.Failed;
        });
        return command;
    }

    private static Command Enable(CliGlobals globals, string verb, bool enabled)
    {
        var name = NameArgument();
        var command = new Command(verb, enabled ? "Enable an instance: chats and tasks may use it" : "Disable an instance: kept, but not offered or used") { name };
        globals.SetAction(command, async run =>
        {
            var instance = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(name)).ConfigureAwait(false);
            if (enabled && !run.Json) run.Terminal.Error.WriteLine($"Enabling {instance.DisplayName} and testing it…");
            var updated = await run.Sidecar.CallAsync(Contract.InstancesSetEnabled, new SetInstanceEnabledParams { Id = instance.Id, Enabled = enabled }, run.Cancellation).ConfigureAwait(false);
            // Enabling tested it: a failure keeps it enabled, says why and what to do, and exits non-zero for scripts.
            if (enabled && updated.LastTest is { Ok: false } failed)
            {
                if (run.Json) CliJson.Write(run.Terminal.Out, updated, Contract.InstancesGet.ResultType);
                else run.Terminal.Error.WriteLine($"plue: {updated.DisplayName} is enabled, but does not work: {failed.Error}; {FixHint(failed.Fix, updated.DisplayName)}");
                return CliError.Failed;
            }
            var works = enabled && updated.LastTest is { } test ? $": it works ({test.LatencyMs} ms)" : "";
            return Done(run, updated, $"{updated.DisplayName} is {verb}d{works}.");
        });
        return command;
    }

    /// <summary>What mends a failed test, as the command to run.</summary>
    private static string FixHint(InstanceFix? fix, string name) => fix switch
    {
        InstanceFix.Key => $"set another key with `plue instances key \"{name}\"`",
        InstanceFix.Login => "log the CLI in with `claude login`",
        _ => $"once it is mended, check it with `plue instances test \"{name}\"`",
    };

    internal static int Done(CliRun run, ProviderInstance instance, string message) =>
        run.Show(instance, Contract.InstancesGet.ResultType, _ => run.Terminal.Line(message, "green"));
}
