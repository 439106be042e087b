using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// A loopback Gemini API (docs/PROVIDERS.md, section 5). <c>POST /v1beta/models/{model}:streamGenerateContent?alt=sse</c>
/// serves the script, and answers 400 INVALID_ARGUMENT as Google does when the key is missing or the path or query is
/// not the streaming one; <c>GET /v1beta/models</c> lists <see cref="Models"/> in pages of two. The static helpers build
/// SSE chunks exactly as the API sends them.
/// </summary>
public sealed class FakeGeminiServer : IAsyncDisposable
{
    public FakeGeminiServer()
    {
        Http.Handler = Route;
    }

    public LoopbackHttpServer Http { get; } = new();

    public string Endpoint => Http.Url;

    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    /// <summary>Listed as Google lists them; the embedding model cannot generate content and must be left out by the client.</summary>
    public List<(string Id, string[] Methods)> Models { get; } =
    [
        ("gemini-2.5-flash", ["generateContent", "countTokens"]),
        ("text-embedding-004", ["embedContent"]),
        ("gemini-3-pro-preview", ["generateContent"]),
    ];

    public void Enqueue(params FakeResponse[] responses) => Http.Enqueue(responses);

    public void EnqueueStream(IEnumerable<string> chunks, TimeSpan gap = default) => Http.Enqueue(FakeResponse.Stream("text/event-stream", chunks, gap));

    private FakeResponse Route(RecordedRequest request)
    {
        if (request.Header("x-goog-api-key") != Plue.Tests.Providers.ProviderTestKit.Key)
            return FakeResponse.Json(400, ErrorBody(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT"));
        if (request.Method == "GET" && request.Path == "/v1beta/models") return ModelPage(request.Query);
        if (request.Method == "POST" && request.Path.StartsWith("/v1beta/models/", StringComparison.Ordinal)
            && request.Path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) && request.Query.Contains("alt=sse", StringComparison.Ordinal))
            return Http.Next();
        return FakeResponse.Json(404, ErrorBody(404, $"{request.Method} {request.Path} is not found", "NOT_FOUND"));
    }

    private FakeResponse ModelPage(string query)
    {
        var start = query.Contains("pageToken=p2", StringComparison.Ordinal) ? 2 : 0;
        var page = new JsonObject
        {
            ["models"] = new JsonArray([.. Models.Skip(start).Take(2).Select(m => (JsonNode)new JsonObject
            {
                ["name"] = "models/" + m.Id, ["displayName"] = m.Id.ToUpperInvariant(), ["inputTokenLimit"] = 1048576, ["outputTokenLimit"] = 65536,
                ["supportedGenerationMethods"] = new JsonArray([.. m.Methods.Select(x => (JsonNode)x)]),
            })]),
        };
        if (start == 0 && Models.Count > 2) page["nextPageToken"] = "p2";
        return FakeResponse.Json(200, page.ToJsonString());
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // --- SSE chunks -------------------------------------------------------------------------------------------

    public static string Chunk(JsonArray parts, string? finish = null, JsonObject? usage = null)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts }, ["index"] = 0 };
        if (finish is not null) candidate["finishReason"] = finish;
        var chunk = new JsonObject { ["candidates"] = new JsonArray(candidate), ["modelVersion"] = "gemini-2.5-flash", ["responseId"] = "resp-1" };
        if (usage is not null) chunk["usageMetadata"] = usage;
        return $"data: {chunk.ToJsonString()}\r\n\r\n";
    }

    public static JsonObject Text(string text) => new() { ["text"] = text };

    public static JsonObject Thought(string text) => new() { ["text"] = text, ["thought"] = true };

    public static JsonObject Call(string name, string argsJson, string? signature = null)
    {
        var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = JsonNode.Parse(argsJson) } };
        if (signature is not null) part["thoughtSignature"] = signature;
        return part;
    }

    public static JsonObject Usage(int prompt, int candidates, int cached = 0, int thoughts = 0)
    {
        var usage = new JsonObject { ["promptTokenCount"] = prompt, ["candidatesTokenCount"] = candidates, ["totalTokenCount"] = prompt + candidates + thoughts };
        if (cached > 0) usage["cachedContentTokenCount"] = cached;
        if (thoughts > 0) usage["thoughtsTokenCount"] = thoughts;
        return usage;
    }

    /// <summary>A whole streamed text reply: one chunk per piece, the last with STOP and usage.</summary>
    public static IEnumerable<string> TextReply(params string[] pieces) =>
        pieces.Select((p, i) => i == pieces.Length - 1 ? Chunk([Text(p)], "STOP", Usage(7, 3)) : Chunk([Text(p)]));

    public static string ErrorBody(int code, string message, string status) =>
        JsonSerializer.Serialize(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } });
}
