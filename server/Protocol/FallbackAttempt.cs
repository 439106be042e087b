namespace Plue.Protocol;

/// <summary>A provider instance and model that failed before anything was shown, so the next of the fallback chain was asked.</summary>
public sealed record FallbackAttempt
{
    public required string InstanceId { get; init; }
    /// <summary>The instance's display name, as users see it.</summary>
    public required string InstanceName { get; init; }
    public required string ModelId { get; init; }
    /// <summary>Why it failed (overloaded, rate-limited past its retries, unreachable), in the provider error's words.</summary>
    public required string Error { get; init; }
}
