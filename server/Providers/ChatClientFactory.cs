using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Instances;
using Plue.Rpc;

namespace Plue.Providers;

/// <summary>Picks the backend for an instance's provider type; HTTP backends share one HttpClient.</summary>
public sealed class ChatClientFactory : IChatClientFactory, IDisposable
{
    private readonly HttpClient _http = ProviderClients.CreateHttpClient();

    public IChatClient Create(ProviderConnection connection, string conversationKey) => connection.ProviderType switch
    {
        ProviderTypes.Anthropic or ProviderTypes.Ollama or ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.OpenRouter =>
            ProviderClients.Create(connection, _http),
        var other => throw new RpcException(ErrorCodes.ProviderError, $"No backend serves provider type '{other}' yet"),
    };

    public void Dispose() => _http.Dispose();
}
