namespace Plue.Providers;

/// <summary>
/// Where a wire format is served from when it is not its maker's own API (Gemini and Claude on Vertex AI): the URL of
/// each model, and a bearer token fetched per request instead of the instance's key.
/// </summary>
public sealed record ProviderRoute(Func<string, string> Url, Func<CancellationToken, Task<string>> Token)
{
    /// <summary>Anthropic on a cloud: the body names this version instead of the model, which is in the URL.</summary>
    public string? AnthropicBodyVersion { get; init; }
}
