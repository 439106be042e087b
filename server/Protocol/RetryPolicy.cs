namespace Plue.Protocol;

/// <summary>How a failed request is retried. Always both members in a result; either may be left out in params.</summary>
public sealed record RetryPolicy
{
    /// <summary>Retries after the first attempt; 0 turns retries off.</summary>
    public int? MaxAttempts { get; init; }
    /// <summary>The first wait; later waits grow from it, and a provider's Retry-After wins.</summary>
    public int? BaseDelayMs { get; init; }
}
