using Microsoft.Extensions.AI;
using Plue.Catalog;

namespace Plue.Providers;

/// <summary>
/// Usage as every backend reports it in a <see cref="UsageContent"/>: InputTokenCount is the TOTAL input
/// (cache reads and writes included, whatever the provider's own convention), and the breakdown is in
/// AdditionalCounts under the keys below (also in CachedInputTokenCount / ReasoningTokenCount).
/// </summary>
public static class ProviderUsage
{
    public const string CacheRead = "cache_read_input_tokens";
    public const string CacheWrite = "cache_write_input_tokens";
    public const string Reasoning = "reasoning_tokens";

    public static UsageDetails Create(long totalInput, long output, long cacheRead, long cacheWrite, long reasoning) => new()
    {
        InputTokenCount = totalInput,
        OutputTokenCount = output,
        TotalTokenCount = totalInput + output,
        CachedInputTokenCount = cacheRead,
        ReasoningTokenCount = reasoning,
        AdditionalCounts = new() { [CacheRead] = cacheRead, [CacheWrite] = cacheWrite, [Reasoning] = reasoning },
    };

    /// <summary>Where an update carries the provider's own figure for what the call cost, in USD (the claude CLI, OpenRouter).</summary>
    public const string CostKey = "plue.costUsd";

    /// <summary>The catalog's <see cref="Usage"/> in the given convention, ready for <see cref="CostCalculator"/>.</summary>
    public static Usage ToUsage(UsageDetails details, UsageConvention convention)
    {
        long Count(string key) => details.AdditionalCounts?.TryGetValue(key, out var v) == true ? v : 0;
        var cacheRead = Count(CacheRead);
        var cacheWrite = Count(CacheWrite);
        var input = details.InputTokenCount ?? 0;
        return new Usage
        {
            // Anthropic's convention bills input without the cache tokens; the others include them.
            Input = convention == UsageConvention.Anthropic ? input - cacheRead - cacheWrite : input,
            Output = details.OutputTokenCount ?? 0,
            CacheRead = cacheRead,
            CacheWrite = cacheWrite,
            Reasoning = Count(Reasoning),
        };
    }
}
