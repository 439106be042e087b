using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// A loopback Ollama native API (docs/PROVIDERS.md, section 3). <c>POST /api/chat</c> serves the script (NDJSON);
/// <c>POST /api/show</c> reports <see cref="ContextLengths"/> under <c>llama.context_length</c>; <c>GET /api/tags</c>
/// lists them; <c>GET /api/version</c> answers. The static helpers build the lines.
/// </summary>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    public FakeOllamaServer()
    {
        Http.Handler = Route;
    }

    public LoopbackHttpServer Http { get; } = new();

    public string Endpoint => Http.Url;

    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    /// <summary>Installed models and their real context length.</summary>
    public Dictionary<string, int> ContextLengths { get; } = new() { ["llama3.2:latest"] = 131072, ["qwen3:8b"] = 40960 };

    /// <summary>What /api/show lists under <c>capabilities</c> per model; a model not here gets none listed (an older server).</summary>
    public Dictionary<string, string[]> Capabilities { get; } = new() { ["qwen3:8b"] = ["completion", "tools", "thinking"] };

    public void Enqueue(params FakeResponse[] responses) => Http.Enqueue(responses);

    public void EnqueueStream(IEnumerable<string> lines, TimeSpan gap = default) => Http.Enqueue(FakeResponse.Stream("application/x-ndjson", lines, gap));

    private FakeResponse Route(RecordedRequest request)
    {
        switch (request.Method, request.Path)
        {
            case ("GET", "/api/version"):
                return FakeResponse.Json(200, """{"version":"0.12.6"}""");
            case ("GET", "/api/tags"):
                return FakeResponse.Json(200, new JsonObject
                {
                    ["models"] = new JsonArray([.. ContextLengths.Keys.Select(name => (JsonNode)new JsonObject
                    {
                        ["name"] = name, ["model"] = name, ["modified_at"] = "2025-01-01T00:00:00Z", ["size"] = 1000, ["digest"] = "abc",
                        ["details"] = new JsonObject { ["family"] = "llama", ["parameter_size"] = "3B", ["quantization_level"] = "Q4_K_M" },
                    })]),
                }.ToJsonString());
            case ("POST", "/api/show"):
                var model = request.Json["model"]?.GetValue<string>() ?? "";
                if (!ContextLengths.TryGetValue(model, out var length))
                    return FakeResponse.Json(404, $$"""{"error":"model '{{model}}' not found"}""");
                var shown = new JsonObject { ["model_info"] = new JsonObject { ["general.architecture"] = "llama", ["llama.context_length"] = length } };
                if (Capabilities.TryGetValue(model, out var capabilities)) shown["capabilities"] = new JsonArray([.. capabilities.Select(c => (JsonNode)c)]);
                return FakeResponse.Json(200, shown.ToJsonString());
            default:
                return Http.Next();
        }
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // --- lines ------------------------------------------------------------------------------------------------

    public static string Line(string content = "", string? thinking = null, string model = "llama3.2:latest")
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (thinking is not null) message["thinking"] = thinking;
        return new JsonObject { ["model"] = model, ["created_at"] = "2025-01-01T00:00:00Z", ["message"] = message, ["done"] = false }.ToJsonString() + "\n";
    }

    /// <summary>Tool calls arrive whole, arguments as an object.</summary>
    public static string ToolCalls(params (string Name, JsonObject Arguments)[] calls) => new JsonObject
    {
        ["model"] = "llama3.2:latest", ["created_at"] = "2025-01-01T00:00:00Z", ["done"] = false,
        ["message"] = new JsonObject
        {
            ["role"] = "assistant", ["content"] = "",
            ["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
            {
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            })]),
        },
    }.ToJsonString() + "\n";

    public static string Done(string reason = "stop", int prompt = 20, int eval = 7) => new JsonObject
    {
        ["model"] = "llama3.2:latest", ["created_at"] = "2025-01-01T00:00:00Z", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "" },
        ["done"] = true, ["done_reason"] = reason, ["total_duration"] = 1000000, ["load_duration"] = 1000,
        ["prompt_eval_count"] = prompt, ["prompt_eval_duration"] = 1000, ["eval_count"] = eval, ["eval_duration"] = 1000,
    }.ToJsonString() + "\n";

    public static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString() + "\n";

    public static IEnumerable<string> TextReply(params string[] deltas) => [.. deltas.Select(d => Line(d)), Done()];
}
