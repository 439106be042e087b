namespace Plue.Catalog;

/// <summary>
/// Token counts as a provider reported them. What <see cref="Input"/> covers depends on the provider's
/// <see cref="UsageConvention"/>: Anthropic's excludes cache tokens, OpenAI's prompt_tokens include them.
/// </summary>
public sealed record Usage
{
    public long Input { get; init; }
    public long Output { get; init; }
    public long CacheRead { get; init; }
    public long CacheWrite { get; init; }
    /// <summary>Reasoning tokens: a breakdown of <see cref="Output"/> in every convention here, never billed twice.</summary>
    public long Reasoning { get; init; }
}
