using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>The cost of one exchange from the provider's usage and the catalog's prices.</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// USD, or null when a price that some tokens need is unknown (unknown is never shown as 0).
    /// A zero count never needs its price. In the OpenAI and OpenRouter conventions the prompt count includes the
    /// cache reads and writes, so only what remains is billed at the input price.
    /// </summary>
    /// <exception cref="ArgumentException">The counts contradict the convention (negative, or more cached tokens than prompt tokens).</exception>
    public static decimal? Compute(Usage usage, ModelPrices prices, UsageConvention convention)
    {
        if (usage.Input < 0 || usage.Output < 0 || usage.CacheRead < 0 || usage.CacheWrite < 0 || usage.Reasoning < 0)
            throw new ArgumentException("token counts cannot be negative", nameof(usage));
        var uncachedInput = convention switch
        {
            UsageConvention.Anthropic => usage.Input,
            UsageConvention.OpenAI or UsageConvention.OpenRouter => usage.Input - usage.CacheRead - usage.CacheWrite,
            _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, null),
        };
        if (uncachedInput < 0)
            throw new ArgumentException($"{convention} prompt tokens ({usage.Input}) include the cached ones, so they cannot be fewer than {usage.CacheRead + usage.CacheWrite}", nameof(usage));

        // Reasoning tokens are already counted in Output in all three conventions.
        decimal total = 0;
        foreach (var (tokens, price) in new[] { (uncachedInput, prices.Input), (usage.Output, prices.Output),
                     (usage.CacheRead, prices.CacheRead), (usage.CacheWrite, prices.CacheWrite) })
        {
            if (tokens == 0) continue;
            if (price is not { } p) return null;
            total += tokens * (decimal)p / PerMillion;
        }
        return total;
    }

    /// <summary>The convention of a catalog provider type's usage numbers; null for kinds without one (the claude CLI reports its own cost).</summary>
    public static UsageConvention? ConventionFor(string providerType) => providerType switch
    {
        ProviderTypes.Anthropic => UsageConvention.Anthropic,
        ProviderTypes.OpenRouter => UsageConvention.OpenRouter,
        // Gemini: promptTokenCount includes cached content; thinking is added to output by the client.
        ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.Ollama or ProviderTypes.Google or ProviderTypes.Azure => UsageConvention.OpenAI,
        // Vertex serves two formats; the clients report total input either way, so one convention bills both alike.
        ProviderTypes.GoogleVertex or ProviderTypes.Bedrock => UsageConvention.OpenAI,
        _ => null,
    };
}
