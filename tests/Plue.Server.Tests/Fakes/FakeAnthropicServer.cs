using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// A loopback Anthropic Messages API (docs/PROVIDERS.md, section 1). <c>POST /v1/messages</c> (with or without a query
/// string) serves the script; <c>GET /v1/models</c> lists <see cref="Models"/>; <c>HEAD /</c> answers 200; a
/// non-streaming request with nothing scripted gets <see cref="NonStreamingReply"/>. The static helpers build
/// SSE frames exactly as the API sends them.
/// </summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    public FakeAnthropicServer()
    {
        Http.Handler = Route;
    }

    public LoopbackHttpServer Http { get; } = new();

    /// <summary>The endpoint to configure (the client appends /v1/messages).</summary>
    public string Endpoint => Http.Url;

    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    public List<string> Models { get; } = ["claude-sonnet-4-5", "claude-haiku-4-5"];

    public string NonStreamingReply { get; set; } =
        """{"id":"msg_plain","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""";

    public void Enqueue(params FakeResponse[] responses) => Http.Enqueue(responses);

    /// <summary>Scripts a streamed reply made of these frames, each sent after <paramref name="gap"/>.</summary>
    public void EnqueueStream(IEnumerable<string> frames, TimeSpan gap = default) => Http.Enqueue(FakeResponse.Stream("text/event-stream", frames, gap));

    private FakeResponse Route(RecordedRequest request)
    {
        if (request.Method == "HEAD") return new FakeResponse();
        if (request.Method == "GET" && request.Path == "/v1/models")
        {
            var data = new JsonArray([.. Models.Select(id => (JsonNode)new JsonObject
            {
                ["type"] = "model", ["id"] = id, ["display_name"] = id, ["created_at"] = "2025-01-01T00:00:00Z",
            })]);
            return FakeResponse.Json(200, new JsonObject
            {
                ["data"] = data, ["has_more"] = false, ["first_id"] = Models.FirstOrDefault(), ["last_id"] = Models.LastOrDefault(),
            }.ToJsonString());
        }
        if (request.Method == "POST" && request.Path == "/v1/messages" && !request.Body.Contains("\"stream\":true", StringComparison.Ordinal))
            return Http.TryNext(out var scripted) ? scripted : FakeResponse.Json(200, NonStreamingReply);
        return Http.Next();
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // --- SSE frames -------------------------------------------------------------------------------------------

    public static string Frame(string type, object data) =>
        $"event: {type}\ndata: {(data as string ?? JsonSerializer.Serialize((JsonNode)data))}\n\n";

    public static string MessageStart(string id = "msg_1", string model = "claude-sonnet-4-5", int input = 10, int cacheWrite = 0, int cacheRead = 0) =>
        Frame("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = input, ["output_tokens"] = 1,
                    ["cache_creation_input_tokens"] = cacheWrite, ["cache_read_input_tokens"] = cacheRead,
                },
            },
        });

    public static string Ping() => Frame("ping", """{"type":"ping"}""");

    public static IEnumerable<string> TextBlock(int index, params string[] deltas) =>
        Block(index, new JsonObject { ["type"] = "text", ["text"] = "" },
            deltas.Select(d => new JsonObject { ["type"] = "text_delta", ["text"] = d }));

    public static IEnumerable<string> ThinkingBlock(int index, string signature, params string[] deltas) =>
        Block(index, new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
            deltas.Select(d => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = d })
                .Append(new JsonObject { ["type"] = "signature_delta", ["signature"] = signature }));

    public static IEnumerable<string> RedactedThinkingBlock(int index, string data) =>
        Block(index, new JsonObject { ["type"] = "redacted_thinking", ["data"] = data }, []);

    /// <summary>A tool_use block whose input arrives as these partial_json pieces.</summary>
    public static IEnumerable<string> ToolUseBlock(int index, string id, string name, params string[] partialJson) =>
        Block(index, new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },
            partialJson.Select(p => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = p }));

    /// <summary>message_delta: usage here is cumulative.</summary>
    public static string MessageDelta(string stopReason = "end_turn", int output = 5, int? input = null)
    {
        var usage = new JsonObject { ["output_tokens"] = output };
        if (input is { } i) usage["input_tokens"] = i;
        return Frame("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = usage,
        });
    }

    public static string MessageStop() => Frame("message_stop", """{"type":"message_stop"}""");

    public static string Error(string type, string message) =>
        Frame("error", new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } });

    /// <summary>The body of an HTTP error response.</summary>
    public static string ErrorBody(string type, string message, string? requestId = null)
    {
        var body = new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };
        if (requestId is not null) body["request_id"] = requestId;
        return body.ToJsonString();
    }

    /// <summary>A whole streamed text reply: start, one text block, delta, stop.</summary>
    public static IEnumerable<string> TextReply(params string[] deltas) =>
        [MessageStart(), Ping(), .. TextBlock(0, deltas), MessageDelta(), MessageStop()];

    private static IEnumerable<string> Block(int index, JsonObject start, IEnumerable<JsonObject> deltas)
    {
        yield return Frame("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = start });
        foreach (var delta in deltas)
            yield return Frame("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta });
        yield return Frame("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
    }
}
