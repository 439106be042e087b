using System.CommandLine;
using System.Globalization;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue models [instance]</c>: an instance's models with their context window and prices.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliGlobals globals)
    {
        var name = new Argument<string?>("instance") { Description = "The instance (default: the first enabled one with a key)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("models", "List an instance's models: context window, max output, and prices in $ per million tokens") { name };
        globals.SetAction(command, async run =>
        {
            var instance = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(name)).ConfigureAwait(false);
            var models = await run.Sidecar.CallAsync(Contract.InstancesModels, new IdParams { Id = instance.Id }, run.Cancellation).ConfigureAwait(false);
            if (models.Count == 0) run.Terminal.Error.WriteLine($"plue: the catalog lists no models for {instance.DisplayName}; name one with -m when you ask.");
            return run.Show(models, Contract.InstancesModels.ResultType, all =>
            {
                var table = new CliTable("id", "name", "context", "max output", "input $/M", "output $/M", "cache read $/M");
                foreach (var m in all)
                    table.AddRow(m.Id, m.Name, Tokens(m.ContextWindow), Tokens(m.MaxOutput), Price(m.Prices?.Input), Price(m.Prices?.Output), Price(m.Prices?.CacheRead));
                table.Write(run.Terminal);
            });
        });
        return command;
    }

    private static string Tokens(int? count) => count switch
    {
        null => "?",
        >= 1_000_000 => (count.Value / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count.Value / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => count.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>An unknown price is "?", never $0.</summary>
    private static string Price(double? perMillion) => perMillion?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?";
}
