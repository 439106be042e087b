using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>What one model call cost, from the catalog's prices for the instance's provider and the model; $0 on a local (Ollama) model.</summary>
internal static class TurnCost
{
    /// <summary>USD, or null when the price is unknown (never 0 for unknown).</summary>
    public static decimal? Compute(CatalogStore catalog, ProviderConnection connection, string modelId, TokenUsage usage)
    {
        // A local model runs on the user's machine: no per-token price, so a tree with one still has a known total.
        if (connection.ProviderType == ProviderTypes.Ollama) return 0m;
        if (CostCalculator.ConventionFor(connection.ProviderType) is not { } convention) return null;
        var model = catalog.Find(connection.CatalogProviderId)?.Provider.Models.FirstOrDefault(m => m.Id == modelId);
        if (model?.Prices is not { } prices) return null;
        try
        {
            // Usage counts every prompt token in Input (caches included), which is the OpenAI convention.
            return CostCalculator.Compute(new Usage { Input = usage.Input, Output = usage.Output, CacheRead = usage.CacheRead, CacheWrite = usage.CacheWrite, Reasoning = usage.Reasoning },
                prices, convention == UsageConvention.Anthropic ? UsageConvention.OpenAI : convention);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
