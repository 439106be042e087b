using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>What one model call cost, and where that figure comes from: the catalog's prices, or $0 on a local model (Ollama, or an instance marked local).</summary>
internal static class TurnCost
{
    /// <summary>
    /// USD and its source; null and <see cref="CostSource.Unknown"/> when the price is unknown (never 0 for unknown).
    /// Estimated usage (a stopped reply) makes a priced cost an <see cref="CostSource.Estimate"/>.
    /// </summary>
    public static (decimal? Usd, CostSource Source) Compute(CatalogStore catalog, ProviderConnection connection, string modelId, TokenUsage usage)
    {
        // A local model runs on the user's machine: no per-token price, so a tree with one still has a known total.
        if (connection.Local || connection.ProviderType == ProviderTypes.Ollama) return (0m, CostSource.Local);
        if (CostCalculator.ConventionFor(connection.ProviderType) is not { } convention) return (null, CostSource.Unknown);
        var model = catalog.Find(connection.CatalogProviderId)?.Provider.Models.FirstOrDefault(m => m.Id == modelId);
        if (model?.Prices is not { } prices) return (null, CostSource.Unknown);
        return Price(prices, convention, usage);
    }

    /// <summary>
    /// Where the cost of calls to this model will come from, before any is made: local ($0), the provider's own figure
    /// (the claude CLI), the catalog (the model has input and output prices), or unknown.
    /// </summary>
    public static CostSource Expected(CatalogStore catalog, ProviderInstance instance, string modelId) =>
        Expected(catalog, instance.Local, instance.ProviderType, instance.CatalogProviderId, modelId);

    /// <inheritdoc cref="Expected(CatalogStore, ProviderInstance, string)"/>
    public static CostSource Expected(CatalogStore catalog, ProviderConnection connection, string modelId) =>
        Expected(catalog, connection.Local || connection.ProviderType == ProviderTypes.Ollama, connection.ProviderType, connection.CatalogProviderId, modelId);

    private static CostSource Expected(CatalogStore catalog, bool local, string? providerType, string catalogProviderId, string modelId)
    {
        if (local) return CostSource.Local;
        if (providerType == ProviderTypes.ClaudeCode) return CostSource.Provider;
        if (providerType is null || CostCalculator.ConventionFor(providerType) is null) return CostSource.Unknown;
        var prices = catalog.Find(catalogProviderId)?.Provider.Models.FirstOrDefault(m => m.Id == modelId)?.Prices;
        return prices is { Input: not null, Output: not null } ? CostSource.Catalog : CostSource.Unknown;
    }

    private static (decimal? Usd, CostSource Source) Price(ModelPrices prices, UsageConvention convention, TokenUsage usage)
    {
        try
        {
            // Usage counts every prompt token in Input (caches included), which is the OpenAI convention.
            var usd = CostCalculator.Compute(new Usage { Input = usage.Input, Output = usage.Output, CacheRead = usage.CacheRead, CacheWrite = usage.CacheWrite, Reasoning = usage.Reasoning },
                prices, convention == UsageConvention.Anthropic ? UsageConvention.OpenAI : convention);
            return usd is null ? (null, CostSource.Unknown) : (usd, usage.Estimated ? CostSource.Estimate : CostSource.Catalog);
        }
        catch (ArgumentException)
        {
            return (null, CostSource.Unknown);
        }
    }
}
