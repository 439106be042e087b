namespace Plue.Providers.Discovery;

/// <summary>
/// What testing an instance found: whether it answered, how fast, how many models it lists (null for Ollama's version
/// call); on failure, its HTTP status if it answered one.
/// </summary>
public sealed record ProbeResult(bool Ok, long LatencyMs, int? ModelCount = null, string? Error = null, ProviderErrorKind? Kind = null, int? Status = null);
