using System.Collections.Concurrent;
using System.Text.Json;
using Plue.Providers.Wire;

namespace Plue.Providers;

/// <summary>
/// A model's real context length from Ollama's <c>POST /api/show</c>
/// (<c>model_info["&lt;general.architecture&gt;.context_length"]</c>), cached per endpoint and model for the
/// process: it only changes when the model is re-pulled. Failures are not cached. The same answer says whether the
/// model thinks (<c>capabilities</c>), since Ollama refuses <c>think</c> for a model that does not.
/// </summary>
internal static class OllamaModelInfo
{
    /// <summary>What /api/show told; <see cref="Thinks"/> null when the server does not list capabilities.</summary>
    internal sealed record Shown(int? ContextLength, bool? Thinks);

    private static readonly ConcurrentDictionary<string, Shown> s_shown = new(StringComparer.Ordinal);

    public static async Task<int?> ContextLengthAsync(ProviderTransport transport, string baseUrl, string model, CancellationToken cancellationToken) =>
        (await ShowAsync(transport, baseUrl, model, cancellationToken).ConfigureAwait(false)).ContextLength;

    public static async Task<Shown> ShowAsync(ProviderTransport transport, string baseUrl, string model, CancellationToken cancellationToken)
    {
        var key = baseUrl + "\n" + model;
        if (s_shown.TryGetValue(key, out var known)) return known;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["model"] = model }, ProvidersJsonContext.Default.DictionaryStringString);
        using var response = await transport.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/show")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            // Plain Ollama needs no key; one behind an authenticating proxy takes a Bearer token.
            if (transport.Connection.ApiKey is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var show = JsonSerializer.Deserialize(bytes, ProvidersJsonContext.Default.OllamaShow);
        var shown = new Shown(Read(show), show?.Capabilities?.Contains("thinking"));
        s_shown[key] = shown;
        return shown;
    }

    public static int? Read(OllamaShow? show)
    {
        if (show?.ModelInfo is not { } info) return null;
        if (!info.TryGetValue("general.architecture", out var arch) || arch.ValueKind != JsonValueKind.String) return null;
        return info.TryGetValue(arch.GetString() + ".context_length", out var length) && length.TryGetInt32(out var n) ? n : null;
    }

    /// <summary>Ollama's native API lives at the root; an endpoint given as its OpenAI-compatible /v1 is accepted too.</summary>
    public static string NativeBase(string endpoint)
    {
        var trimmed = endpoint.TrimEnd('/');
        return trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed[..^3] : trimmed;
    }
}
