using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat's settings seen in the provider's request, per wire format, over the real sidecar and loopback fakes:
/// temperature, top_p, stop sequences, the reply's length within the model's limit, and reasoning effort as
/// OpenAI's reasoning_effort, Anthropic's thinking budget and Ollama's think.
/// </summary>
public sealed class ChatKnobsTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;

    public async Task InitializeAsync() =>
        (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_root.Path, "home"), Directory.CreateDirectory(Path.Combine(_root.Path, "ws")).FullName);

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _root.Dispose();
    }

    private async Task<string> ChatAsync(string catalogProviderId, string endpoint, string modelId, JsonObject fields)
    {
        var instance = (await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback " + catalogProviderId, ["catalogProviderId"] = catalogProviderId, ["endpoint"] = endpoint, ["apiKey"] = "sk-test-knobs-0123456789",
        }))!;
        var chat = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = modelId, ["allowUnlisted"] = true , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        var record = (await _rpc.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await _rpc.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = fields });
        await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = id, ["text"] = "hello" });
        return id;
    }

    [Fact]
    public async Task OpenAI_CarriesTemperatureTopPStopMaxTokensAndReasoningEffort()
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Hi"), FakeOpenAIServer.Done()]);

        await ChatAsync("openai", fake.Endpoint, "gpt-5", new JsonObject
        {
            ["temperature"] = 0.25, ["top_p"] = 0.5, ["stop_sequences"] = new JsonArray("END"), ["max_output_tokens"] = 900_000, ["reasoning_effort"] = "high",
        });

        var body = Assert.Single(fake.Requests, r => r.Method == "POST").Json;
        Assert.Equal(0.25, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.5, body["top_p"]!.GetValue<double>());
        Assert.Equal(["END"], body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        // Asked for more than the model can write: held to the catalog's maxOutput.
        Assert.Equal(128_000, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal("high", body["reasoning_effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAI_AModelThatDoesNotReason_GetsNoReasoningEffort()
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Hi"), FakeOpenAIServer.Done()]);

        await ChatAsync("openai", fake.Endpoint, "gpt-unlisted", new JsonObject { ["reasoning_effort"] = "high" });

        Assert.Null(Assert.Single(fake.Requests, r => r.Method == "POST").Json["reasoning_effort"]);
    }

    [Fact]
    public async Task Anthropic_ReasoningEffortIsAThinkingBudget_WithRoomForTheReply_AndNoTemperature()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("Hi"));

        await ChatAsync("anthropic", fake.Endpoint, "claude-sonnet-4-5-20250929", new JsonObject
        {
            ["reasoning_effort"] = "medium", ["max_output_tokens"] = 2000, ["temperature"] = 0.3, ["stop_sequences"] = new JsonArray("STOP"),
        });

        var body = Assert.Single(fake.Requests, r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).Json;
        Assert.Equal("enabled", body["thinking"]!["type"]!.GetValue<string>());
        var budget = body["thinking"]!["budget_tokens"]!.GetValue<int>();
        Assert.Equal(8192, budget);
        Assert.Equal(budget + 2000, body["max_tokens"]!.GetValue<int>());
        Assert.Null(body["temperature"]); // Anthropic refuses temperature while thinking
        Assert.Equal(["STOP"], body["stop_sequences"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Anthropic_NoneMeansNoThinking_AndTemperatureGoes()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("Hi"));

        await ChatAsync("anthropic", fake.Endpoint, "claude-sonnet-4-5-20250929", new JsonObject { ["reasoning_effort"] = "none", ["temperature"] = 0.3, ["top_p"] = 0.9 });

        var body = Assert.Single(fake.Requests, r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).Json;
        Assert.Null(body["thinking"]);
        Assert.Equal(0.3, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task Ollama_ThinkFollowsTheEffort_OnlyForAModelThatThinks()
    {
        await using var fake = new FakeOllamaServer();
        fake.EnqueueStream(FakeOllamaServer.TextReply("Hi"));
        fake.EnqueueStream(FakeOllamaServer.TextReply("Hi"));
        fake.Capabilities["llama3.2:latest"] = ["completion", "tools"];

        var local = await ChatAsync("ollama", fake.Endpoint, "qwen3:8b", new JsonObject { ["reasoning_effort"] = "low", ["temperature"] = 0.7, ["stop_sequences"] = new JsonArray("###") });
        await ChatAsync("ollama", fake.Endpoint, "llama3.2:latest", new JsonObject { ["reasoning_effort"] = "high" });

        var chats = fake.Requests.Where(r => r.Path == "/api/chat").ToList();
        Assert.True(chats[0].Json["think"]!.GetValue<bool>());
        Assert.Equal(0.7, chats[0].Json["options"]!["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(["###"], chats[0].Json["options"]!["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(chats[1].Json["think"]); // llama3.2 does not think: Ollama would refuse the field
        // A local model costs $0, not "unknown": a total that includes it stays known.
        var session = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = local }))!;
        Assert.Equal(0m, session["costUsd"]!.GetValue<decimal>());
    }
}
