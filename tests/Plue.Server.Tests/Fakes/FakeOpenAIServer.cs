using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// A loopback OpenAI Chat Completions API (docs/PROVIDERS.md, section 2) in one of three flavors. <c>POST
/// {base}/chat/completions</c> serves the script; <c>GET {base}/models</c> lists <see cref="Models"/>. The static
/// helpers build the <c>data:</c> frames; <see cref="TextReply"/> and <see cref="Wrap"/> apply the flavor's habits.
/// </summary>
public sealed partial class FakeOpenAIServer : IAsyncDisposable
{
    public FakeOpenAIServer(OpenAIFlavor flavor = OpenAIFlavor.Plain)
    {
        Flavor = flavor;
        BasePath = flavor == OpenAIFlavor.OpenRouter ? "/api/v1" : "/v1";
        Http.Handler = Route;
    }

    public OpenAIFlavor Flavor { get; }

    public LoopbackHttpServer Http { get; } = new();

    public string BasePath { get; }

    /// <summary>The endpoint to configure: like catalog endpoints it already ends in /v1.</summary>
    public string Endpoint => Http.Url + BasePath;

    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    public List<string> Models { get; } = ["gpt-test", "gpt-test-mini"];

    public void Enqueue(params FakeResponse[] responses) => Http.Enqueue(responses);

    public void EnqueueStream(IEnumerable<string> frames, TimeSpan gap = default) => Http.Enqueue(FakeResponse.Stream("text/event-stream", Wrap(frames), gap));

    private FakeResponse Route(RecordedRequest request)
    {
        if (request.Method == "GET" && request.Path == BasePath + "/models")
        {
            var data = new JsonArray([.. Models.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id, ["object"] = "model", ["created"] = 1700000000, ["owned_by"] = "fake",
            })]);
            return FakeResponse.Json(200, new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString());
        }
        return Scripted(request) ?? Http.Next();
    }

    /// <summary>The flavor's framing around the frames: OpenRouter opens with a comment line, as it does while it waits for the model.</summary>
    public IEnumerable<string> Wrap(IEnumerable<string> frames) =>
        Flavor == OpenAIFlavor.OpenRouter ? [Comment("OPENROUTER PROCESSING"), .. frames] : frames;

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // --- frames -----------------------------------------------------------------------------------------------

    public static string Data(JsonNode chunk) => $"data: {chunk.ToJsonString()}\n\n";

    public static string Comment(string text) => $": {text}\n\n";

    public static string Done() => "data: [DONE]\n\n";

    public static string Chunk(JsonObject delta, string? finish = null, string id = "chatcmpl-1", string model = "gpt-test") => Data(new JsonObject
    {
        ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = 1700000000, ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    });

    public static string Role() => Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" });

    public static string Content(string text) => Chunk(new JsonObject { ["content"] = text });

    /// <summary>Reasoning text under <c>reasoning</c> (OpenRouter, Ollama) or <c>reasoning_content</c> (DeepSeek).</summary>
    public static string Reasoning(string text, string field = "reasoning") => Chunk(new JsonObject { [field] = text });

    public static string Finish(string reason) => Chunk(new JsonObject(), reason);

    /// <summary>The first fragment of a call: index, id, type, name (and maybe the start of the arguments).</summary>
    public static string ToolCallStart(int index, string id, string name, string arguments = "") => Chunk(new JsonObject
    {
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["index"] = index, ["id"] = id, ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        }),
    });

    public static string ToolCallArguments(int index, string piece) => Chunk(new JsonObject
    {
        ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = piece } }),
    });

    /// <summary>Whole tool calls in one chunk, as Ollama's /v1 sends them.</summary>
    public static string WholeToolCalls(params (string Id, string Name, string Arguments)[] calls) => Chunk(new JsonObject
    {
        ["role"] = "assistant", ["content"] = "",
        ["tool_calls"] = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
        {
            ["id"] = c.Id, ["index"] = i, ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
        })]),
    });

    /// <summary>The final usage chunk (<c>choices: []</c>): cached inside prompt, reasoning inside completion.</summary>
    public static string Usage(int prompt, int completion, int cached = 0, int reasoning = 0) => Data(new JsonObject
    {
        ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1700000000, ["model"] = "gpt-test",
        ["choices"] = new JsonArray(),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
            ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reasoning },
        },
    });

    /// <summary>A mid-stream error frame: OpenAI's string code, or OpenRouter's int one.</summary>
    public static string ErrorFrame(string message, JsonNode? code = null, string type = "server_error") =>
        Data(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code } });

    public static string ErrorBody(string message, string type, JsonNode? code = null) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } }.ToJsonString();

    /// <summary>A whole text reply in this flavor: role chunk, deltas, finish (own chunk), usage, [DONE].</summary>
    public static IEnumerable<string> TextReply(params string[] deltas) =>
        [Role(), .. deltas.Select(Content), Finish("stop"), Usage(12, deltas.Length), Done()];
}
