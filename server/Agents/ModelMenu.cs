using System.Globalization;
using System.Text;
using Plue.Instances;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// What a task that may spawn sub-tasks is told of the instances and models it may choose from: each usable instance
/// by name and reference, local (free) or paid, and its models with context window, prices and capabilities. Compact:
/// a few instances, a few models each (the task's own and the defaults first), never a network call.
/// </summary>
public sealed class ModelMenu(InstanceService instances, InstanceChecks checks)
{
    public const int MaxInstances = 8;
    public const int MaxModelsPerInstance = 6;

    /// <summary>The menu for a task running on <paramref name="ownInstanceId"/> and <paramref name="ownModelId"/>; null when no instance is usable.</summary>
    public string? For(string? ownInstanceId, string? ownModelId)
    {
        var usable = Usable().ToList();
        if (usable.Count == 0) return null;
        var text = new StringBuilder("Provider instances and models for spawn_task (give provider_ref and model_id; a sub-task runs on yours when you name neither):\n");
        foreach (var instance in usable.OrderByDescending(i => i.Id == ownInstanceId).Take(MaxInstances))
        {
            text.Append("- ").Append(instance.DisplayName).Append(" (provider_ref \"").Append(instance.Ref).Append('"');
            if (instance.Id == ownInstanceId) text.Append("; yours");
            text.Append(instance.Local ? "; runs locally, free" : "; paid").Append("): ");
            var models = checks.KnownModels(instance);
            var first = new[] { instance.Id == ownInstanceId ? ownModelId : null, instance.DefaultModel }.OfType<string>().ToList();
            var chosen = models.OrderBy(m => first.IndexOf(m.Id) is var at && at >= 0 ? at : int.MaxValue).Take(MaxModelsPerInstance).ToList();
            // An instance whose models are not known yet still has its default.
            if (chosen.Count == 0 && instance.DefaultModel is { } fallback) text.Append(fallback);
            text.Append(string.Join("; ", chosen.Select(m => Describe(m, instance.Local))));
            if (models.Count > chosen.Count) text.Append("; and ").Append(models.Count - chosen.Count).Append(" more");
            text.Append('\n');
        }
        if (usable.Count > MaxInstances) text.Append("- and ").Append(usable.Count - MaxInstances).Append(" more instances\n");
        return text.ToString();
    }

    /// <summary>The refusal a model reads when it names an instance that does not exist or cannot be used: what it may name instead.</summary>
    public string UnknownInstance(string reference, string why) =>
        $"provider_ref '{reference}' cannot be used ({why}). Use one of: " +
        string.Join(", ", Usable().Take(MaxInstances).Select(i => $"\"{i.Ref}\" ({i.DisplayName})")) + ", or leave provider_ref out to use yours.";

    private IEnumerable<ProviderInstance> Usable() => instances.List().Where(i => i.Enabled && instances.Obstacle(i.Id) is null);

    private static string Describe(CatalogModel model, bool local)
    {
        var bits = new List<string>();
        if (model.ContextWindow is { } window) bits.Add(Tokens(window) + " context");
        if (local) bits.Add("free");
        else if (model.Prices is { Input: { } input, Output: { } output }) bits.Add($"${Price(input)} in / ${Price(output)} out per M tokens");
        else bits.Add("price unknown");
        if (model.CanReason == true) bits.Add("reasoning");
        if (model.SupportsAttachments == true) bits.Add("images");
        return $"{model.Id} ({string.Join(", ", bits)})";
    }

    private static string Tokens(int count) => count >= 1_000_000
        ? (count / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : (count / 1000).ToString(CultureInfo.InvariantCulture) + "k";

    private static string Price(double usd) => usd.ToString("0.###", CultureInfo.InvariantCulture);
}
