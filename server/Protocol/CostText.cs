using System.Globalization;

namespace Plue.Protocol;

/// <summary>A cost in words, as the command line and an exported chat show it: unknown is never $0.</summary>
public static class CostText
{
    public static string Of(decimal? usd, IReadOnlyList<CostSource> sources) =>
        usd is null ? Of(usd)
        : sources.Contains(CostSource.Unknown) ? "at least " + Of(usd)
        : sources.Contains(CostSource.Estimate) ? "~" + Of(usd) : Of(usd);

    /// <summary>A task's total; with what its spend cap counted (unpriced tokens at its price) when that says more than the known part.</summary>
    public static string Task(AgentTask task) =>
        task.CapCountedUsd is { } counted ? $"{Of(counted)} counted by its cap" : Of(task.TotalCostUsd, task.TotalCostSources);

    public static string Of(decimal? usd) => usd switch
    {
        null => "cost unknown",
        < 1m => "$" + usd.Value.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => "$" + usd.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
