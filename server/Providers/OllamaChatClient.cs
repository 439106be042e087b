using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Providers.Transform;
using Plue.Providers.Wire;

namespace Plue.Providers;

/// <summary>
/// Ollama's native chat (<c>POST {endpoint}/api/chat</c>, NDJSON), see docs/PROVIDERS.md, section 3. Native rather than
/// its /v1 because only here can num_ctx be set, and Ollama otherwise truncates long prompts silently.
/// </summary>
public sealed class OllamaChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null)
    : ChatClientBase(connection, http, defaultModelId)
{
    private readonly string _nativeBase = OllamaModelInfo.NativeBase(connection.Endpoint ?? "");

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var numCtx = ContentJson.Option<int?>(options, ProviderOptionKeys.NumCtx);
        // One who sets num_ctx knows the model: no need to ask.
        if (numCtx is null)
        {
            var shown = await OllamaModelInfo.ShowAsync(Transport, _nativeBase, model, cancellationToken).ConfigureAwait(false);
            numCtx = shown.ContextLength;
            // Ollama refuses think for a model that cannot; one that says nothing of its capabilities is asked anyway.
            if (shown.Thinks == false && options?.AdditionalProperties?.ContainsKey(ProviderOptionKeys.Think) == true)
            {
                options = options.Clone();
                options.AdditionalProperties = new(options.AdditionalProperties!);
                options.AdditionalProperties.Remove(ProviderOptionKeys.Think);
            }
        }
        var body = OllamaTransform.BuildRequest(messages, options, model, numCtx, stream: true);
        using var lines = await OpenStreamAsync(_nativeBase + "/api/chat", body, Authorize, cancellationToken).ConfigureAwait(false);
        var responseId = "ollama-" + Guid.NewGuid().ToString("N");
        string? modelId = model;
        var done = false;
        var callCount = 0;
        while (await lines.ReadLineAsync().ConfigureAwait(false))
        {
            var line = StreamChunk.Read(lines.Line.Span, ProvidersJsonContext.Default.OllamaLine, Connection, lines.RequestId);
            if (line is null) continue;
            if (line.Error is { } error) throw ProviderErrors.FromStreamError(Connection, error, lines.RequestId);
            modelId = line.Model ?? modelId;
            if (line.Message is { } message)
            {
                if (message.Thinking is { Length: > 0 } thinking) yield return Update(new TextReasoningContent(thinking), responseId, modelId);
                if (message.Content is { Length: > 0 } text) yield return Update(new TextContent(text), responseId, modelId);
                foreach (var call in message.ToolCalls ?? [])
                {
                    // Arguments arrive whole, as an object; Ollama gives no call id, so one is made.
                    var id = call.Id ?? $"call_{callCount}_{responseId}";
                    callCount++;
                    var args = call.Function?.Arguments is { ValueKind: JsonValueKind.Object } obj ? obj.GetRawText() : call.Function?.Arguments?.GetString() ?? "";
                    yield return Update(ContentJson.Call(id, call.Function?.Name ?? "", args), responseId, modelId);
                }
            }
            if (!line.Done) continue;
            var input = line.PromptEvalCount ?? 0;
            var update = Update(new UsageContent(ProviderUsage.Create(input, line.EvalCount ?? 0, 0, 0, 0)), responseId, modelId);
            update.FinishReason = callCount > 0 && line.DoneReason is null or "stop" ? ChatFinishReason.ToolCalls
                : line.DoneReason switch
                {
                    "length" => ChatFinishReason.Length,
                    null or "stop" => ChatFinishReason.Stop,
                    var other => new ChatFinishReason(other),
                };
            yield return update;
            done = true;
            break;
        }
        if (!done) throw ProviderErrors.StreamCut(Connection, lines.RequestId);
    }

    internal void Authorize(HttpRequestMessage request)
    {
        // Plain Ollama needs no key; one behind an authenticating proxy (or ollama.com) takes a Bearer token.
        if (Connection.ApiKey is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
    }
}
