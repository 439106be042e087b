using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>How each wire format carries the options a caller can set: thinking, tool choice, sampling, stops, images, the round trip of reasoning and tool results.</summary>
public sealed class ProviderRequestOptionsTests
{
    private static readonly byte[] s_png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Anthropic_ThinkingBudgetAndBeta_SendThinkingWithoutSamplingAndTheBetaHeader()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("ok"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "claude-x");
        var options = new ChatOptions
        {
            Instructions = "Be exact.", Temperature = 0.3f, TopP = 0.9f, TopK = 5, StopSequences = ["###"],
            AdditionalProperties = new() { [ProviderOptionKeys.ThinkingBudgetTokens] = 2048, [ProviderOptionKeys.AnthropicBeta] = "interleaved-thinking-2025-05-14" },
        };

        await DrainAsync(client, Hello(), options);

        var request = fake.Requests.Single();
        Assert.Equal("interleaved-thinking-2025-05-14", request.Header("anthropic-beta"));
        var body = request.Json;
        Assert.Equal("""{"type":"enabled","budget_tokens":2048}""", body["thinking"]!.ToJsonString());
        Assert.Null(body["temperature"]);
        Assert.Null(body["top_p"]);
        Assert.Null(body["top_k"]);
        Assert.Equal("""["###"]""", body["stop_sequences"]!.ToJsonString());
        Assert.Equal("Be exact.\n\nBe brief.", (string?)body["system"]);
        Assert.Equal(Plue.Providers.Transform.AnthropicTransform.DefaultMaxTokens, (int?)body["max_tokens"]);
    }

    [Fact]
    public async Task Anthropic_SamplingWithoutThinking_IsSentAsIs()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("ok"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "claude-x");

        await DrainAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions { TopP = 0.5f, TopK = 3 });

        var body = fake.Requests.Single().Json;
        Assert.Equal(0.5, (double?)body["top_p"]);
        Assert.Equal(3, (int?)body["top_k"]);
        Assert.Null(body["system"]);
        Assert.Null(body["tools"]);
    }

    [Theory]
    [InlineData("none", """{"type":"none"}""")]
    [InlineData("read", """{"type":"tool","name":"read"}""")]
    [InlineData("auto", null)]
    public async Task Anthropic_ToolMode_IsToolChoice(string mode, string? expected)
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("ok"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "claude-x");

        await DrainAsync(client, Hello(), new ChatOptions { Tools = [Tool("read"), Tool("write")], ToolMode = ToolMode(mode) });

        var body = fake.Requests.Single().Json;
        Assert.Equal(2, body["tools"]!.AsArray().Count);
        Assert.Equal(expected, body["tool_choice"]?.ToJsonString());
    }

    [Fact]
    public async Task Anthropic_History_SendsSignedAndRedactedThinkingBack_DropsUnsignedReasoning_MarksFailedResults()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("ok"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "claude-x");
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Count the files."),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("from another provider"),
                new TextReasoningContent("signed") { ProtectedData = "sig-1" },
                new TextReasoningContent("") { ProtectedData = "opaque", AdditionalProperties = new() { [ProviderOptionKeys.RedactedThinking] = true } },
                new TextContent(""),
                new FunctionCallContent("toolu_1", "count", new Dictionary<string, object?> { ["dir"] = "src", ["deep"] = true }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_1", null) { Exception = new InvalidOperationException("no such folder") }]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_2", JsonDocument.Parse("""{"files":3}""").RootElement)]),
        ];

        await DrainAsync(client, history);

        var messages = fake.Requests.Single().Json["messages"]!.AsArray();
        Assert.Equal(3, messages.Count);
        Assert.Equal("""[{"type":"thinking","thinking":"signed","signature":"sig-1"},{"type":"redacted_thinking","data":"opaque"},{"type":"tool_use","id":"toolu_1","name":"count","input":{"dir":"src","deep":true}}]""",
            messages[1]!["content"]!.ToJsonString());
        var results = messages[2]!["content"]!.AsArray();
        Assert.Equal("""{"type":"tool_result","tool_use_id":"toolu_1","content":"no such folder","is_error":true}""", results[0]!.ToJsonString());
        Assert.Equal("""{"files":3}""", (string?)results[1]!["content"]); // a result that is not text goes as compact JSON text
        Assert.Null(results[1]!["is_error"]);
    }

    [Theory]
    [InlineData("none", "\"none\"")]
    [InlineData("any", "\"required\"")]
    [InlineData("read", """{"type":"function","function":{"name":"read"}}""")]
    [InlineData("auto", null)]
    public async Task OpenAI_ToolMode_IsToolChoice(string mode, string? expected)
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAICompatible, fake.Endpoint), Http, "m");

        await DrainAsync(client, Hello(), new ChatOptions { Tools = [Tool("read")], ToolMode = ToolMode(mode) });

        var body = fake.Requests.Single().Json;
        Assert.Equal("""[{"type":"function","function":{"name":"read","description":"test tool read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}]""",
            body["tools"]!.ToJsonString());
        Assert.Equal(expected, body["tool_choice"]?.ToJsonString());
    }

    [Fact]
    public async Task OpenAI_SamplingEffortAndImages_AreSentInTheChatCompletionsShape()
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAICompatible, fake.Endpoint), Http, "m");
        var options = new ChatOptions
        {
            Instructions = "Look closely.", TopP = 0.8f, Seed = 42, Temperature = 0,
            AdditionalProperties = new() { [ProviderOptionKeys.ReasoningEffort] = "high" },
        };

        await DrainAsync(client, [new(ChatRole.User, [new TextContent("What is it?"), new DataContent(s_png, "image/png")])], options);

        var body = fake.Requests.Single().Json;
        Assert.Equal((0.8, 42L, 0.0, "high"), ((double)body["top_p"]!, (long)body["seed"]!, (double)body["temperature"]!, (string)body["reasoning_effort"]!));
        Assert.Null(body["max_tokens"]);
        var messages = body["messages"]!.AsArray();
        Assert.Equal("""{"role":"system","content":"Look closely."}""", messages[0]!.ToJsonString());
        var parts = messages[1]!["content"]!.AsArray();
        Assert.Equal("""{"type":"text","text":"What is it?"}""", parts[0]!.ToJsonString());
        Assert.Equal("image_url", (string?)parts[1]!["type"]);
        Assert.StartsWith("data:image/png;base64,", (string?)parts[1]!["image_url"]!["url"]);
    }

    [Fact]
    public async Task Ollama_OptionsThinkImagesAndStops_GoWhereOllamaReadsThem()
    {
        await using var fake = new FakeOllamaServer();
        fake.EnqueueStream(FakeOllamaServer.TextReply("ok"));
        var client = new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint + "/v1/"), Http, "llama3.2:latest");
        var options = new ChatOptions
        {
            Instructions = "Short answers.", Temperature = 0.1f, TopP = 0.7f, TopK = 20, Seed = 7, StopSequences = ["\n\n"],
            Tools = [Tool("read")],
            AdditionalProperties = new() { [ProviderOptionKeys.Think] = true, [ProviderOptionKeys.NumCtx] = 8192 },
        };

        await DrainAsync(client, [new(ChatRole.User, [new TextContent("Describe."), new DataContent(s_png, "image/png")])], options);

        Assert.DoesNotContain(fake.Requests, r => r.Path == "/api/show"); // num_ctx given: no need to ask
        var chat = fake.Requests.Single(r => r.Path == "/api/chat");
        Assert.Equal("Bearer " + Key, chat.Header("authorization"));
        var body = chat.Json;
        Assert.True((bool?)body["think"]);
        Assert.Null(body["tool_choice"]);
        Assert.Equal("read", (string?)body["tools"]![0]!["function"]!["name"]);
        Assert.Equal("""{"num_ctx":8192,"temperature":0.1,"top_p":0.7,"top_k":20,"seed":7,"stop":["\n\n"]}""",
            NormalizeFloats(body["options"]!.AsObject()));
        var messages = body["messages"]!.AsArray();
        Assert.Equal("""{"role":"system","content":"Short answers."}""", messages[0]!.ToJsonString());
        Assert.Equal(Convert.ToBase64String(s_png), (string?)messages[1]!["images"]![0]);
    }

    [Fact]
    public async Task Ollama_ToolResultOfAnUnknownCall_IsSentWithoutToolName()
    {
        await using var fake = new FakeOllamaServer();
        fake.EnqueueStream(FakeOllamaServer.TextReply("ok"));
        var client = new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint), Http, "llama3.2:latest");

        await DrainAsync(client, [new(ChatRole.User, "Go."), new(ChatRole.Tool, [new FunctionResultContent("call_x", "done"), new TextContent("and more")])]);

        var messages = fake.Requests.Single(r => r.Path == "/api/chat").Json["messages"]!.AsArray();
        Assert.Equal("""{"role":"tool","content":"done"}""", messages[1]!.ToJsonString());
        Assert.Equal("""{"role":"user","content":"and more"}""", messages[2]!.ToJsonString());
    }

    private static ChatToolMode ToolMode(string mode) => mode switch
    {
        "none" => ChatToolMode.None,
        "any" => ChatToolMode.RequireAny,
        "auto" => ChatToolMode.Auto,
        var name => ChatToolMode.RequireSpecific(name),
    };

    /// <summary>Floats written from a float keep their float digits (0.1f is 0.100000001...); round them for the comparison.</summary>
    private static string NormalizeFloats(JsonObject options)
    {
        foreach (var (name, value) in options.ToList())
            if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && !number.ToJsonString().All(char.IsDigit))
                options[name] = Math.Round(number.GetValue<double>(), 4);
        return options.ToJsonString();
    }
}
