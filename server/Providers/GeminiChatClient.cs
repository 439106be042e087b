using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Providers.Transform;
using Plue.Providers.Wire;

namespace Plue.Providers;

/// <summary>
/// Google Gemini over SSE (<c>POST {endpoint}/v1beta/models/{model}:streamGenerateContent?alt=sse</c>, key in
/// <c>x-goog-api-key</c>), see docs/PROVIDERS.md, section 5.
/// </summary>
public sealed class GeminiChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null, ProviderRoute? route = null)
    : ChatClientBase(connection, http, defaultModelId)
{
    public const string ApiVersionPath = "/v1beta";

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = GeminiTransform.BuildRequest(messages, options);
        var url = route?.Url(model) ?? $"{BaseUrl}{ApiVersionPath}/models/{Uri.EscapeDataString(model)}:streamGenerateContent?alt=sse";
        var token = route is null ? null : await route.Token(cancellationToken).ConfigureAwait(false);
        using var lines = await OpenStreamAsync(url, body, r => Authorize(r, token), cancellationToken).ConfigureAwait(false);
        var sse = new SseReader(lines);
        string? responseId = null, modelId = model;
        GeminiUsage? usage = null;
        ChatFinishReason? finish = null;
        var calls = 0;
        while (await sse.ReadEventAsync().ConfigureAwait(false))
        {
            var chunk = StreamChunk.Read(sse.Data.Span, GeminiJsonContext.Default.GeminiChunk, Connection, lines.RequestId);
            if (chunk is null) continue;
            if (chunk.Error is { } error) throw ProviderErrors.FromStreamError(Connection, error, lines.RequestId);
            if (chunk.PromptFeedback?.BlockReason is { } blocked) throw ProviderErrors.FromStreamError(Connection, Blocked(blocked), lines.RequestId);
            responseId ??= chunk.ResponseId;
            modelId = chunk.ModelVersion ?? modelId;
            usage = chunk.UsageMetadata ?? usage; // cumulative: the latest wins
            if (chunk.Candidates is not { Count: > 0 } candidates) continue;
            var candidate = candidates[0];
            foreach (var part in candidate.Content?.Parts ?? [])
            {
                if (part.FunctionCall is { } call)
                {
                    var content = new FunctionCallContent(call.Id ?? $"call_{++calls}", call.Name ?? "",
                        call.Args is { ValueKind: JsonValueKind.Object } args ? ContentJson.FromObject(args) : new Dictionary<string, object?>());
                    if (part.ThoughtSignature is { } signature) content.AdditionalProperties = new() { [GeminiTransform.ThoughtSignature] = signature };
                    yield return Update(content, responseId, modelId);
                }
                else if (part.Thought == true)
                {
                    yield return Update(new TextReasoningContent(part.Text ?? "") { ProtectedData = part.ThoughtSignature }, responseId, modelId);
                }
                else if (!string.IsNullOrEmpty(part.Text))
                {
                    yield return Update(new TextContent(part.Text), responseId, modelId);
                }
            }
            if (candidate.FinishReason is { } reason) finish = FinishReason(reason, calls > 0);
        }
        // Gemini has no end marker: a stream that closes before a finish reason was cut.
        if (finish is null) throw ProviderErrors.StreamCut(Connection, lines.RequestId);
        if (usage is not null)
        {
            var thoughts = usage.ThoughtsTokenCount ?? 0;
            var details = ProviderUsage.Create(usage.PromptTokenCount ?? 0, (usage.CandidatesTokenCount ?? 0) + thoughts, usage.CachedContentTokenCount ?? 0, 0, thoughts);
            yield return Update(new UsageContent(details), responseId, modelId);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, []) { ResponseId = responseId, MessageId = responseId, ModelId = modelId, FinishReason = finish };
    }

    /// <summary>A routed call carries its bearer token; a direct one the API key.</summary>
    private void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        else if (Connection.ApiKey is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("x-goog-api-key", key);
    }

    private static JsonElement Blocked(string reason) => JsonSerializer.SerializeToElement(
        new Dictionary<string, string> { ["message"] = $"the prompt was blocked ({reason}); rephrase it or relax the safety settings" },
        ProvidersJsonContext.Default.DictionaryStringString);

    private static ChatFinishReason FinishReason(string reason, bool called) => reason switch
    {
        "STOP" => called ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => ChatFinishReason.ContentFilter,
        var other => new ChatFinishReason(other),
    };
}
