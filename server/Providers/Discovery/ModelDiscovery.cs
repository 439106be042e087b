using System.Text.Json;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers.Wire;

namespace Plue.Providers.Discovery;

/// <summary>
/// Lists the models an instance really serves: <c>GET {endpoint}/models</c> (OpenAI-style),
/// <c>GET {endpoint}/v1/models</c> (Anthropic, paged), <c>/api/tags</c> + <c>/api/show</c> (Ollama).
/// </summary>
public sealed class ModelDiscovery(ProviderConnection connection, HttpClient http)
{
    private readonly ProviderTransport _transport = new(http, connection);

    /// <summary>How many /api/show calls run at once when listing Ollama models.</summary>
    private const int OllamaShowParallelism = 4;

    public async Task<IReadOnlyList<DiscoveredModel>> DiscoverAsync(CancellationToken cancellationToken, int? maxAttempts = null)
    {
        var endpoint = connection.Endpoint?.TrimEnd('/') ?? throw new InvalidOperationException($"{connection} has no endpoint");
        return connection.ProviderType switch
        {
            ProviderTypes.Anthropic => await AnthropicAsync(endpoint, cancellationToken, maxAttempts).ConfigureAwait(false),
            ProviderTypes.GoogleVertex => await VertexAsync(cancellationToken).ConfigureAwait(false),
            // Bedrock lists models on its control-plane host, not the runtime's: testing checks the credentials are there; the catalog lists the models.
            ProviderTypes.Bedrock => await Bedrock.BedrockRegion.CheckCredentialsAsync(_transport, cancellationToken).ConfigureAwait(false),
            ProviderTypes.Azure => await AzureAsync(endpoint, cancellationToken, maxAttempts).ConfigureAwait(false),
            ProviderTypes.Google => await GeminiAsync(endpoint, cancellationToken, maxAttempts).ConfigureAwait(false),
            ProviderTypes.Ollama => await OllamaAsync(OllamaModelInfo.NativeBase(endpoint), cancellationToken, maxAttempts).ConfigureAwait(false),
            _ => await OpenAIAsync(endpoint, cancellationToken, maxAttempts).ConfigureAwait(false),
        };
    }

    private async Task<IReadOnlyList<DiscoveredModel>> OpenAIAsync(string endpoint, CancellationToken cancellationToken, int? maxAttempts)
    {
        var bytes = await _transport.GetBytesAsync(endpoint + "/models", Bearer, cancellationToken, maxAttempts).ConfigureAwait(false);
        var list = JsonSerializer.Deserialize(bytes, ProvidersJsonContext.Default.OpenAIModelList);
        return [.. (list?.Data ?? []).Where(m => !string.IsNullOrEmpty(m.Id)).Select(m => new DiscoveredModel(m.Id!, m.Name, m.ContextLength))];
    }

    private async Task<IReadOnlyList<DiscoveredModel>> AnthropicAsync(string endpoint, CancellationToken cancellationToken, int? maxAttempts)
    {
        var models = new List<DiscoveredModel>();
        string? after = null;
        do
        {
            var url = endpoint + "/v1/models?limit=1000" + (after is null ? "" : "&after_id=" + Uri.EscapeDataString(after));
            var bytes = await _transport.GetBytesAsync(url, AnthropicHeaders, cancellationToken, maxAttempts).ConfigureAwait(false);
            var page = JsonSerializer.Deserialize(bytes, ProvidersJsonContext.Default.AnthropicModelList);
            models.AddRange((page?.Data ?? []).Where(m => !string.IsNullOrEmpty(m.Id)).Select(m => new DiscoveredModel(m.Id!, m.DisplayName)));
            after = page is { HasMore: true, LastId: { } last } && last != after ? last : null;
        } while (after is not null);
        return models;
    }

    /// <summary>Vertex has no list of the publishers' models for a project: getting a token checks the credentials; the catalog lists the models.</summary>
    private async Task<IReadOnlyList<DiscoveredModel>> VertexAsync(CancellationToken cancellationToken)
    {
        await Vertex.GoogleAccessTokens.Shared.GetAsync(connection, http, cancellationToken).ConfigureAwait(false);
        return [];
    }

    /// <summary>Gemini pages its list; only models that can generate content are chat models.</summary>
    private async Task<IReadOnlyList<DiscoveredModel>> GeminiAsync(string endpoint, CancellationToken cancellationToken, int? maxAttempts)
    {
        var models = new List<DiscoveredModel>();
        string? page = null;
        do
        {
            var url = endpoint + GeminiChatClient.ApiVersionPath + "/models?pageSize=1000" + (page is null ? "" : "&pageToken=" + Uri.EscapeDataString(page));
            var bytes = await _transport.GetBytesAsync(url, GoogleKey, cancellationToken, maxAttempts).ConfigureAwait(false);
            var list = JsonSerializer.Deserialize(bytes, GeminiJsonContext.Default.GeminiModelList);
            models.AddRange((list?.Models ?? [])
                .Where(m => m.Name is { Length: > 0 } && m.SupportedGenerationMethods?.Contains("generateContent") != false)
                .Select(m => new DiscoveredModel(m.Name!.StartsWith("models/", StringComparison.Ordinal) ? m.Name[7..] : m.Name, m.DisplayName, m.InputTokenLimit)));
            page = list?.NextPageToken is { Length: > 0 } next && next != page ? next : null;
        } while (page is not null);
        return models;
    }

    private void GoogleKey(HttpRequestMessage request)
    {
        if (connection.ApiKey is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("x-goog-api-key", key);
    }

    private async Task<IReadOnlyList<DiscoveredModel>> OllamaAsync(string root, CancellationToken cancellationToken, int? maxAttempts)
    {
        var bytes = await _transport.GetBytesAsync(root + "/api/tags", Bearer, cancellationToken, maxAttempts).ConfigureAwait(false);
        var tags = JsonSerializer.Deserialize(bytes, ProvidersJsonContext.Default.OllamaTags);
        var names = (tags?.Models ?? []).Select(m => m.Model ?? m.Name).OfType<string>().Distinct().ToList();
        var windows = new int?[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = OllamaShowParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    windows[i] = await OllamaModelInfo.ContextLengthAsync(_transport, root, names[i], ct).ConfigureAwait(false);
                }
                catch (ProviderException)
                {
                    // A model whose details fail still lists, with an unknown window.
                }
            }).ConfigureAwait(false);
        return [.. names.Select((n, i) => new DiscoveredModel(n, n, windows[i]))];
    }

    /// <summary>
    /// Azure's data plane lists the resource's base models, not its deployments (those need the management API): the
    /// call checks the key, and the models are the ones the instance maps to deployments.
    /// </summary>
    private async Task<IReadOnlyList<DiscoveredModel>> AzureAsync(string endpoint, CancellationToken cancellationToken, int? maxAttempts)
    {
        await _transport.GetBytesAsync(AzureOpenAI.ModelsUrl(connection, endpoint), Bearer, cancellationToken, maxAttempts).ConfigureAwait(false);
        return [.. connection.Deployments.Keys.Order(StringComparer.Ordinal).Select(id => new DiscoveredModel(id, id))];
    }

    private void Bearer(HttpRequestMessage request) => OpenAIChatClient.Authorize(connection, OpenAICompatibleProfile.For(connection.ProviderType), request);

    private void AnthropicHeaders(HttpRequestMessage request) => AnthropicChatClient.AuthorizeAnthropic(connection, request);

    /// <summary>
    /// Discovered ∪ catalog: catalog models keep their data (a discovered window fills an unknown one); models only
    /// discovered get unknown (null) prices. Catalog order first, then the new ones by id.
    /// </summary>
    public static IReadOnlyList<CatalogModel> Merge(IReadOnlyList<DiscoveredModel> discovered, IReadOnlyList<CatalogModel> catalog)
    {
        var found = new Dictionary<string, DiscoveredModel>(StringComparer.Ordinal);
        foreach (var model in discovered) found.TryAdd(model.Id, model);
        var result = new List<CatalogModel>(catalog.Count + discovered.Count);
        foreach (var model in catalog)
        {
            result.Add(found.Remove(model.Id, out var live) && model.ContextWindow is null && live.ContextWindow is { } window
                ? model with { ContextWindow = window }
                : model);
        }
        foreach (var model in found.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
            result.Add(new CatalogModel { Id = model.Id, Name = model.Name ?? model.Id, ContextWindow = model.ContextWindow, Prices = null });
        return result;
    }
}
