using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers.Transform;
using Plue.Providers.Wire;

namespace Plue.Providers;

/// <summary>
/// OpenAI Chat Completions over SSE (<c>POST {endpoint}/chat/completions</c>; catalog endpoints already end in
/// /v1), for OpenAI and every OpenAI-compatible provider, whose differences are an <see cref="OpenAICompatibleProfile"/>.
/// See docs/PROVIDERS.md, section 2.
/// </summary>
public sealed class OpenAIChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null, OpenAICompatibleProfile? profile = null)
    : ChatClientBase(connection, http, defaultModelId)
{
    private static readonly byte[] s_done = "[DONE]"u8.ToArray();

    public OpenAICompatibleProfile Profile { get; } = profile ?? OpenAICompatibleProfile.For(connection.ProviderType);

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = OpenAITransform.BuildRequest(messages, options, model, Profile, stream: true);
        var url = Profile.ChatUrl?.Invoke(Connection, BaseUrl, model) ?? BaseUrl + "/chat/completions";
        using var lines = await OpenStreamAsync(url, body, Authorize, cancellationToken).ConfigureAwait(false);
        var sse = new SseReader(lines);
        string? responseId = null, modelId = model;
        var calls = new SortedDictionary<int, ToolCallBuilder>();
        var done = false;
        while (await sse.ReadEventAsync().ConfigureAwait(false))
        {
            var data = sse.Data.Span;
            if (data.SequenceEqual(s_done))
            {
                done = true;
                break;
            }
            var chunk = OpenAIChunkReader.TryRead(data) ?? StreamChunk.Read(data, ProvidersJsonContext.Default.OpenAIChunk, Connection, lines.RequestId);
            if (chunk is null) continue;
            if (chunk.Error is { } error) throw ProviderErrors.FromStreamError(Connection, error, chunk.Id ?? lines.RequestId);
            responseId ??= chunk.Id;
            modelId = chunk.Model ?? modelId;
            if (chunk.Choices is { Count: > 0 } choices)
            {
                var choice = choices[0];
                if (choice.Delta is { } delta)
                {
                    // OpenRouter, Ollama and newer vLLM say reasoning; DeepSeek and older vLLM say reasoning_content.
                    if ((delta.Reasoning ?? delta.ReasoningContent) is { Length: > 0 } reasoning)
                        yield return Update(new TextReasoningContent(reasoning), responseId, modelId);
                    if (delta.Content is { Length: > 0 } text)
                        yield return Update(new TextContent(text), responseId, modelId);
                    if (delta.ToolCalls is { } fragments) Collect(calls, fragments, Connection, lines.RequestId);
                }
                if (choice.FinishReason is { } finish)
                {
                    // Ollama's /v1 sends finish_reason in a chunk of its own; calls are complete either way.
                    foreach (var update in Flush(calls, responseId, modelId)) yield return update;
                    yield return new ChatResponseUpdate(ChatRole.Assistant, []) { ResponseId = responseId, MessageId = responseId, ModelId = modelId, FinishReason = FinishReason(finish) };
                }
            }
            if (chunk.Usage is { } usage)
            {
                var cacheRead = usage.PromptTokensDetails?.CachedTokens ?? 0;
                var cacheWrite = usage.PromptTokensDetails?.CacheWriteTokens ?? 0;
                var details = ProviderUsage.Create(usage.PromptTokens ?? 0, usage.CompletionTokens ?? 0, cacheRead, cacheWrite,
                    usage.CompletionTokensDetails?.ReasoningTokens ?? 0);
                var reported = Update(new UsageContent(details), responseId, modelId);
                // OpenRouter says what the call cost: its own figure beats the catalog's prices (routing, discounts).
                if (usage.Cost is { } cost) reported.AdditionalProperties = new() { [ProviderUsage.CostKey] = cost };
                yield return reported;
            }
        }
        foreach (var update in Flush(calls, responseId, modelId)) yield return update;
        if (!done) throw ProviderErrors.StreamCut(Connection, lines.RequestId);
    }

    internal void Authorize(HttpRequestMessage request) => Authorize(Connection, Profile, request);

    /// <summary>The key as a bearer (or in the profile's own header), and the profile's extra headers.</summary>
    internal static void Authorize(ProviderConnection connection, OpenAICompatibleProfile profile, HttpRequestMessage request)
    {
        if (connection.ApiKey is { Length: > 0 } key)
        {
            if (profile.KeyHeader is { } header && connection.Credential == CredentialKind.ApiKey) request.Headers.TryAddWithoutValidation(header, key);
            else request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }
        foreach (var (name, value) in profile.ExtraHeaders) request.Headers.TryAddWithoutValidation(name, value);
    }

    private static void Collect(SortedDictionary<int, ToolCallBuilder> calls, List<OpenAIToolCallDelta> fragments, ProviderConnection connection, string? requestId)
    {
        foreach (var fragment in fragments)
        {
            // The first fragment of an index carries id and name; later ones only argument pieces. A missing index means one call.
            var index = fragment.Index ?? (fragment.Id is not null ? calls.Count : Math.Max(0, calls.Count - 1));
            if (!calls.TryGetValue(index, out var call)) calls[index] = call = new ToolCallBuilder();
            if (!string.IsNullOrEmpty(fragment.Id)) call.Id = fragment.Id;
            if (fragment.Function is not { } function) continue;
            if (!string.IsNullOrEmpty(function.Name)) call.Name = function.Name;
            if (function.Arguments is { } args)
            {
                // Some servers send the arguments as an object rather than a string.
                if (args.ValueKind == JsonValueKind.String) call.Arguments.Append(args.GetString());
                else if (args.ValueKind == JsonValueKind.Object) call.Arguments.Append(args.GetRawText());
                if (call.Arguments.Length > StreamLimits.MaxPartChars) throw ProviderErrors.PartTooLarge(connection, requestId);
            }
        }
    }

    private static IEnumerable<ChatResponseUpdate> Flush(SortedDictionary<int, ToolCallBuilder> calls, string? responseId, string? modelId)
    {
        if (calls.Count == 0) return [];
        var updates = calls.Values.Select(c => Update(ContentJson.Call(c.Id ?? "call_" + Guid.NewGuid().ToString("N"), c.Name ?? "", c.Arguments.ToString()), responseId, modelId))
            .ToList();
        calls.Clear();
        return updates;
    }

    private static ChatFinishReason FinishReason(string finish) => finish switch
    {
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(finish),
    };

    private sealed class ToolCallBuilder
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public StringBuilder Arguments { get; } = new();
    }
}
