namespace Plue.Protocol;

/// <summary><c>lm/respond</c> result: the tokens used and what they cost (null when a price is unknown).</summary>
public sealed record LmRespondResult
{
    public required TokenUsage Usage { get; init; }
    public decimal? CostUsd { get; init; }
}
