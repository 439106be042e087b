using Microsoft.Extensions.AI;
using Plue.Providers.Transform;

namespace Plue.Providers;

/// <summary>
/// What the HTTP chat clients share: the transport, the model to use, and GetResponseAsync as a fold of the
/// stream. Why thin clients over HttpClient rather than the official OpenAI/Anthropic SDKs: the SDKs drop
/// fields this project needs (reasoning / reasoning_content on compatible servers, thinking signatures and
/// redacted_thinking for the round trip, cache-write usage), they bring their own retry and timeout logic
/// that would fight the instance's policy, and a chunk here costs one source-generated deserialization.
/// </summary>
public abstract class ChatClientBase : IChatClient
{
    private protected ChatClientBase(ProviderConnection connection, HttpClient http, string? defaultModelId)
    {
        if (string.IsNullOrEmpty(connection.Endpoint)) throw new ArgumentException($"{connection} has no endpoint", nameof(connection));
        Connection = connection;
        Transport = new ProviderTransport(http, connection);
        DefaultModelId = defaultModelId;
        BaseUrl = connection.Endpoint.TrimEnd('/');
    }

    public ProviderConnection Connection { get; }

    public string? DefaultModelId { get; }

    private protected ProviderTransport Transport { get; }

    /// <summary>The endpoint without a trailing slash.</summary>
    private protected string BaseUrl { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? DefaultModelId
            ?? throw new ArgumentException("No model: set ChatOptions.ModelId or the client's default model.", nameof(options));
        return StreamAsync(messages, options, model, cancellationToken);
    }

    private protected abstract IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        CancellationToken cancellationToken);

    /// <summary>Sends the streaming POST with retries and opens its body.</summary>
    private protected async Task<StreamLineReader> OpenStreamAsync(string url, RequestBody body, Action<HttpRequestMessage> headers, CancellationToken cancellationToken)
    {
        var response = await Transport.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body.Content() };
            request.Content.Headers.ContentType = new("application/json");
            headers(request);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StreamLineReader.OpenAsync(response, Connection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private protected static ChatResponseUpdate Update(AIContent content, string? responseId, string? modelId) =>
        new(ChatRole.Assistant, [content]) { ResponseId = responseId, MessageId = responseId, ModelId = modelId };

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Connection.ProviderType, new Uri(BaseUrl), DefaultModelId)
        : null;

    public void Dispose() => GC.SuppressFinalize(this);
}
