using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>Reads M.E.AI usage into the project's counts; cache writes travel in AdditionalCounts.</summary>
internal static class UsageMapping
{
    /// <summary>The AdditionalCounts key the backends use for tokens written to the prompt cache.</summary>
    public const string CacheWriteKey = Plue.Providers.ProviderUsage.CacheWrite;

    public static TokenUsage From(UsageDetails details) => new()
    {
        Input = details.InputTokenCount ?? 0,
        Output = details.OutputTokenCount ?? 0,
        CacheRead = details.CachedInputTokenCount ?? 0,
        CacheWrite = details.AdditionalCounts?.TryGetValue(CacheWriteKey, out var written) == true ? written : 0,
        Reasoning = details.ReasoningTokenCount ?? 0,
    };
}
