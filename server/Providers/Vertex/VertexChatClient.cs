using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Vertex;

/// <summary>
/// Vertex AI: Gemini models through the Gemini client and Claude models through the Anthropic client, each on the
/// project's Vertex URL with an access token from the instance's Google credentials.
/// </summary>
public sealed class VertexChatClient : ChatClientBase
{
    private readonly GeminiChatClient _gemini;
    private readonly AnthropicChatClient _anthropic;

    public VertexChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null, GoogleAccessTokens? tokens = null)
        : base(connection, http, defaultModelId)
    {
        var source = tokens ?? GoogleAccessTokens.Shared;
        Task<string> Token(CancellationToken ct) => source.GetAsync(connection, http, ct);
        _gemini = new GeminiChatClient(connection, http, defaultModelId, new ProviderRoute(m => VertexAI.GeminiUrl(connection, BaseUrl, m), Token));
        _anthropic = new AnthropicChatClient(connection, http, defaultModelId,
            new ProviderRoute(m => VertexAI.AnthropicUrl(connection, BaseUrl, m), Token) { AnthropicBodyVersion = VertexAI.AnthropicVersion });
    }

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var routed = options?.Clone() ?? new ChatOptions();
        routed.ModelId = model;
        IChatClient inner = VertexAI.IsAnthropic(model) ? _anthropic : _gemini;
        await foreach (var update in inner.GetStreamingResponseAsync(messages, routed, cancellationToken).ConfigureAwait(false)) yield return update;
    }
}
