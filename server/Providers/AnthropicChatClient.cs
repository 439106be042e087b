using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers.Transform;
using Plue.Providers.Wire;

namespace Plue.Providers;

/// <summary>Anthropic Messages over SSE (<c>POST {endpoint}/v1/messages</c>), see docs/PROVIDERS.md, section 1.</summary>
public sealed class AnthropicChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null, ProviderRoute? route = null)
    : ChatClientBase(connection, http, defaultModelId)
{
    public const string ApiVersion = "2023-06-01";

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = AnthropicTransform.BuildRequest(messages, options, model, stream: true, route?.AnthropicBodyVersion);
        var beta = ContentJson.Option<string>(options, ProviderOptionKeys.AnthropicBeta);
        var url = route?.Url(model) ?? BaseUrl + "/v1/messages";
        var token = route is null ? null : await route.Token(cancellationToken).ConfigureAwait(false);
        using var lines = await OpenStreamAsync(url, body, r => Authorize(r, beta, token), cancellationToken).ConfigureAwait(false);
        var sse = new SseReader(lines);
        string? responseId = null, modelId = model;
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        var tools = new Dictionary<int, (string Id, string Name, StringBuilder Json)>();
        var stopped = false;
        while (await sse.ReadEventAsync().ConfigureAwait(false))
        {
            if (sse.Event == "ping") continue;
            var e = StreamChunk.Read(sse.Data.Span, ProvidersJsonContext.Default.AnthropicEvent, Connection, lines.RequestId);
            if (e is null) continue;
            switch (e.Type ?? sse.Event)
            {
                case "message_start":
                    responseId = e.Message?.Id;
                    modelId = e.Message?.Model ?? modelId;
                    Take(e.Message?.Usage, ref input, ref output, ref cacheRead, ref cacheWrite);
                    break;
                case "content_block_start" when e.ContentBlock is { } block:
                    switch (block.Type)
                    {
                        case "text" when !string.IsNullOrEmpty(block.Text):
                            yield return Update(new TextContent(block.Text), responseId, modelId);
                            break;
                        case "thinking" when !string.IsNullOrEmpty(block.Thinking):
                            yield return Update(new TextReasoningContent(block.Thinking), responseId, modelId);
                            break;
                        case "redacted_thinking":
                            // Arrives whole; kept opaque so it can be sent back unchanged.
                            yield return Update(new TextReasoningContent("")
                            {
                                ProtectedData = block.Data,
                                AdditionalProperties = new() { [ProviderOptionKeys.RedactedThinking] = true },
                            }, responseId, modelId);
                            break;
                        case "tool_use":
                            tools[e.Index] = (block.Id ?? "", block.Name ?? "", new StringBuilder());
                            break;
                    }
                    break;
                case "content_block_delta" when e.Delta is { } delta:
                    switch (delta.Type)
                    {
                        case "text_delta":
                            yield return Update(new TextContent(delta.Text), responseId, modelId);
                            break;
                        case "thinking_delta":
                            yield return Update(new TextReasoningContent(delta.Thinking), responseId, modelId);
                            break;
                        case "signature_delta":
                            // An empty reasoning part carrying the signature: folding merges it into the thinking before it.
                            yield return Update(new TextReasoningContent("") { ProtectedData = delta.Signature }, responseId, modelId);
                            break;
                        case "input_json_delta" when tools.TryGetValue(e.Index, out var tool):
                            tool.Json.Append(delta.PartialJson);
                            if (tool.Json.Length > StreamLimits.MaxPartChars) throw ProviderErrors.PartTooLarge(Connection, lines.RequestId);
                            break;
                    }
                    break;
                case "content_block_stop" when tools.Remove(e.Index, out var done):
                    yield return Update(ContentJson.Call(done.Id, done.Name, done.Json.ToString()), responseId, modelId);
                    break;
                case "message_delta":
                    Take(e.Usage, ref input, ref output, ref cacheRead, ref cacheWrite); // cumulative: the latest value wins
                    if (e.Delta?.StopReason == "model_context_window_exceeded")
                        throw ProviderErrors.FromStreamError(Connection, ContextError, lines.RequestId);
                    var update = Update(new UsageContent(ProviderUsage.Create(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0)), responseId, modelId);
                    update.FinishReason = FinishReason(e.Delta?.StopReason);
                    yield return update;
                    break;
                case "message_stop":
                    stopped = true;
                    break;
                case "error":
                    throw ProviderErrors.FromStreamError(Connection, e.Error ?? default, lines.RequestId);
            }
            if (stopped) break;
        }
        if (!stopped) throw ProviderErrors.StreamCut(Connection, lines.RequestId);
    }

    private static readonly JsonElement s_contextError = JsonDocument.Parse(
        """{"type":"model_context_window_exceeded","message":"the model's context window filled up before it finished"}""").RootElement;

    private static JsonElement ContextError => s_contextError;

    internal void Authorize(HttpRequestMessage request, string? beta = null, string? routeToken = null)
    {
        // On a cloud the route's token is the credential, and the version travels in the body.
        if (routeToken is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + routeToken);
        else AuthorizeAnthropic(Connection, request);
        if (!string.IsNullOrEmpty(beta)) request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
    }

    /// <summary>The credential and version headers every Anthropic-format call carries: a key as x-api-key, an auth token as a bearer.</summary>
    internal static void AuthorizeAnthropic(ProviderConnection connection, HttpRequestMessage request)
    {
        if (connection.ApiKey is { Length: > 0 } key)
        {
            if (connection.Credential == CredentialKind.AuthToken) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            else request.Headers.TryAddWithoutValidation("x-api-key", key);
        }
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
    }

    private static void Take(AnthropicUsage? usage, ref long input, ref long output, ref long cacheRead, ref long cacheWrite)
    {
        if (usage is null) return;
        input = usage.InputTokens ?? input;
        output = usage.OutputTokens ?? output;
        cacheRead = usage.CacheReadInputTokens ?? cacheRead;
        cacheWrite = usage.CacheCreationInputTokens ?? cacheWrite;
    }

    private static ChatFinishReason? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        var other => new ChatFinishReason(other), // pause_turn: the caller continues the turn
    };
}
