namespace Plue.Protocol;

/// <summary>
/// One step of a fallback chain: a provider instance and a model tried when the one before it failed with overload, a
/// rate limit past its retries or an unreachable endpoint, before anything was shown.
/// </summary>
public sealed record ModelFallback
{
    /// <summary>The instance: <c>codex://providers/&lt;slug&gt;</c>, <c>env:&lt;provider&gt;</c> or an instance id.</summary>
    public required string ProviderRef { get; init; }
    public required string ModelId { get; init; }
}
