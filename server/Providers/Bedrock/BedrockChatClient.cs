using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers.Transform;

namespace Plue.Providers.Bedrock;

/// <summary>
/// AWS Bedrock's Converse stream (<c>POST {endpoint}/model/{modelId}/converse-stream</c>), signed with SigV4 (or a
/// Bedrock API key as a bearer), answered in AWS event-stream frames. See docs/PROVIDERS.md, section 8.
/// </summary>
public sealed class BedrockChatClient(ProviderConnection connection, HttpClient http, string? defaultModelId = null,
    Func<string, string?>? environment = null, TimeProvider? time = null) : ChatClientBase(connection, http, defaultModelId)
{
    /// <summary>No event carries more than this; a bigger frame is refused, not buffered.</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private protected override async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = BedrockTransform.BuildRequest(messages, options);
        var url = $"{BaseUrl}/model/{Uri.EscapeDataString(model)}/converse-stream";
        var bearer = Connection.Credential == CredentialKind.AuthToken ? Connection.ApiKey : null;
        var credentials = bearer is null ? await AwsCredentials.ResolveAsync(Transport, _environment, cancellationToken).ConfigureAwait(false) : null;
        using var response = await Transport.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("Accept", "application/vnd.amazon.eventstream");
            if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            // Signed per attempt: the date is part of it. The signature is scrubbed like the secrets it is made from.
            else Connection.Secrets.Add(SigV4.Sign(request, body, credentials!, Region(), "bedrock", _time.GetUtcNow()));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        using var reads = new BodyReads(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Connection, requestId, cancellationToken);
        var reader = new EventStreamReader(reads, MaxMessageBytes);
        var tools = new Dictionary<int, (string Id, string Name, StringBuilder Json)>();
        ChatFinishReason? finish = null;
        var stopped = false;
        while (true)
        {
            var message = await NextAsync(reader, requestId).ConfigureAwait(false);
            if (message is not { } m) break;
            if (m.Headers.GetValueOrDefault(":message-type") == "exception")
                throw ProviderErrors.FromStreamError(Connection, Exception(m.Headers.GetValueOrDefault(":exception-type"), m.Payload), requestId);
            using var doc = StreamChunk.ReadObject(m.Payload, Connection, requestId);
            var e = doc.RootElement;
            var index = Field(e, "contentBlockIndex", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : 0;
            switch (m.Headers.GetValueOrDefault(":event-type"))
            {
                case "contentBlockStart" when Field(e, "start", out var start) && Field(start, "toolUse", out var use):
                    tools[index] = (Str(use, "toolUseId") ?? $"call_{index}", Str(use, "name") ?? "", new StringBuilder());
                    break;
                case "contentBlockDelta" when Field(e, "delta", out var delta):
                    if (Str(delta, "text") is { Length: > 0 } text) yield return Update(new TextContent(text), requestId, model);
                    else if (Field(delta, "reasoningContent", out var reasoning))
                    {
                        if (Str(reasoning, "text") is { Length: > 0 } thought) yield return Update(new TextReasoningContent(thought), requestId, model);
                        // An empty reasoning part carrying the signature: folding merges it into the reasoning before it.
                        if (Str(reasoning, "signature") is { } signature) yield return Update(new TextReasoningContent("") { ProtectedData = signature }, requestId, model);
                    }
                    else if (Field(delta, "toolUse", out var input) && tools.TryGetValue(index, out var tool)) tool.Json.Append(Str(input, "input"));
                    break;
                case "contentBlockStop" when tools.Remove(index, out var done):
                    yield return Update(ContentJson.Call(done.Id, done.Name, done.Json.ToString()), requestId, model);
                    break;
                case "messageStop":
                    finish = FinishReason(Str(e, "stopReason"));
                    break;
                case "metadata" when Field(e, "usage", out var usage):
                    long Count(string name) => Field(usage, name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var c) ? c : 0;
                    var cacheRead = Count("cacheReadInputTokens");
                    var cacheWrite = Count("cacheWriteInputTokens");
                    // inputTokens excludes the cache, as Anthropic counts; the update carries the total.
                    yield return Update(new UsageContent(ProviderUsage.Create(Count("inputTokens") + cacheRead + cacheWrite, Count("outputTokens"), cacheRead, cacheWrite, 0)),
                        requestId, model);
                    stopped = true;
                    break;
            }
            if (stopped) break;
        }
        // metadata is the last event: a stream that ends before it was cut.
        if (!stopped || finish is null) throw ProviderErrors.StreamCut(Connection, requestId);
        yield return new ChatResponseUpdate(ChatRole.Assistant, []) { ResponseId = requestId, MessageId = requestId, ModelId = model, FinishReason = finish };
    }

    /// <summary>The next frame (its reads bounded by the timeouts); a corrupted frame or a cut is a stream cut.</summary>
    private async Task<(Dictionary<string, string> Headers, byte[] Payload)?> NextAsync(EventStreamReader reader, string? requestId)
    {
        try
        {
            return await reader.ReadAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw ProviderErrors.StreamCut(Connection, requestId, ex);
        }
    }

    /// <summary>The signing region: the endpoint's (bedrock-runtime.REGION.amazonaws.com), else the instance's, else us-east-1.</summary>
    private string Region()
    {
        var host = new Uri(BaseUrl).Host.Split('.');
        return host is ["bedrock-runtime", var region, "amazonaws", ..] ? region : Connection.Region ?? "us-east-1";
    }

    private static JsonElement Exception(string? type, byte[] payload)
    {
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            message = Str(doc.RootElement, "message");
        }
        catch (JsonException)
        {
        }
        // Bedrock's exception types, as the error kinds read them.
        var kind = type switch
        {
            "throttlingException" => "rate_limit_error",
            "serviceUnavailableException" => "overloaded_error",
            "validationException" => "invalid_request_error",
            _ => "api_error",
        };
        return JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["type"] = kind, ["message"] = $"{type}: {message ?? "no detail"}" },
            Wire.ProvidersJsonContext.Default.DictionaryStringString);
    }

    /// <summary>A member of an object; a payload of another shape than Bedrock's has none, rather than an exception in .NET's words.</summary>
    private static bool Field(JsonElement e, string name, out JsonElement value)
    {
        value = default;
        return e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out value);
    }

    private static string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        null => ChatFinishReason.Stop,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "content_filtered" or "guardrail_intervened" => ChatFinishReason.ContentFilter,
        var other => new ChatFinishReason(other),
    };
}
