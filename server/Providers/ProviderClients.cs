using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Outbound;

namespace Plue.Providers;

/// <summary>Makes the IChatClient for an instance's backend kind, and the HttpClient they all share.</summary>
public static class ProviderClients
{
    public static IChatClient Create(ProviderConnection connection, HttpClient http, string? defaultModelId = null) => connection.ProviderType switch
    {
        ProviderTypes.Anthropic => new AnthropicChatClient(connection, http, defaultModelId),
        ProviderTypes.Ollama => new OllamaChatClient(connection, http, defaultModelId),
        ProviderTypes.Google => new GeminiChatClient(connection, http, defaultModelId),
        ProviderTypes.GoogleVertex => new Vertex.VertexChatClient(connection, http, defaultModelId),
        ProviderTypes.Bedrock => new Bedrock.BedrockChatClient(Bedrock.BedrockRegion.Apply(connection), http, defaultModelId),
        ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.OpenRouter or ProviderTypes.Azure => new OpenAIChatClient(connection, http, defaultModelId),
        var other => throw new NotSupportedException($"No HTTP backend for provider type '{other}'."),
    };

    /// <summary>One HttpClient for every instance (<see cref="BoundedHttp.ForProviders"/>).</summary>
    public static HttpClient CreateHttpClient() => BoundedHttp.ForProviders();
}
