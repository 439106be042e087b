using Plue.Protocol;

namespace Plue.Cli;

/// <summary>Finds a provider instance by what a user types (its name, slug or id) and the model to use on it.</summary>
internal static class CliInstances
{
    public static async Task<IReadOnlyList<ProviderInstance>> ListAsync(CliSidecar sidecar) =>
        await sidecar.CallAsync(Contract.InstancesList, new EmptyParams()).ConfigureAwait(false);

    /// <summary>The instance named, or when none is named the first enabled one that has a key.</summary>
    public static async Task<ProviderInstance> FindAsync(CliSidecar sidecar, string? name)
    {
        var all = await ListAsync(sidecar).ConfigureAwait(false);
        if (name is null)
        {
            return all.FirstOrDefault(i => i.Enabled && (i.HasKey || i.FromEnvironment))
                ?? all.FirstOrDefault(i => i.Enabled)
                ?? throw new CliError("No provider instance is set up: add one with `plue instances add <provider>` " +
                    "(`plue providers` lists them), or set a key such as ANTHROPIC_API_KEY or OPENAI_API_KEY.", CliError.Usage);
        }
        return Match(all, name) ?? throw new CliError(
            $"No provider instance is called '{name}'. " +
            (all.Count == 0 ? "None is set up yet: add one with `plue instances add <provider>`." : $"Known: {string.Join(", ", all.Select(i => i.DisplayName))} (`plue instances list`)."),
            CliError.Usage);
    }

    public static ProviderInstance? Match(IReadOnlyList<ProviderInstance> all, string name) =>
        all.FirstOrDefault(i => i.Id == name)
        ?? all.FirstOrDefault(i => string.Equals(i.DisplayName, name, StringComparison.OrdinalIgnoreCase))
        ?? all.FirstOrDefault(i => string.Equals(i.Slug, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The model asked for, else the instance's default, else the first model its catalog lists.</summary>
    public static async Task<string> ModelAsync(CliSidecar sidecar, ProviderInstance instance, string? model)
    {
        if (!string.IsNullOrWhiteSpace(model)) return model;
        if (instance.DefaultModel is { Length: > 0 } chosen) return chosen;
        var models = await sidecar.CallAsync(Contract.InstancesModels, new IdParams { Id = instance.Id }).ConfigureAwait(false);
        return models.Count > 0 ? models[0].Id
            : throw new CliError($"'{instance.DisplayName}' has no default model and its catalog lists none: name one with -m.", CliError.Usage);
    }
}
