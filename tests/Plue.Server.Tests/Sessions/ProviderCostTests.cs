using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A provider that says what a call cost (OpenRouter's <c>usage.cost</c>) is believed over the catalog's prices, and the
/// answer says the figure is the provider's. Real sidecar, a loopback server in OpenRouter's flavor.
/// </summary>
public sealed class ProviderCostTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private readonly FakeOpenAIServer _fake = new(OpenAIFlavor.OpenRouter);
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;

    public async Task InitializeAsync() => (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_home.Path, "home"));

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _fake.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task OpenRoutersUsageCost_IsTheAnswersCost_WithTheProviderAsItsSource()
    {
        var instance = await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback OpenRouter", ["catalogProviderId"] = "openrouter", ["endpoint"] = _fake.Endpoint, ["apiKey"] = "test-openrouter-cost",
        });
        var chat = await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = instance!["id"]!.GetValue<string>(), ["modelId"] = "some/model", ["allowUnlisted"] = true , ["title"] = "Test chat" });
        var sessionId = chat!["id"]!.GetValue<string>();
        _fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Hi"), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Data(new JsonObject
        {
            ["id"] = "gen-1", ["object"] = "chat.completion.chunk", ["model"] = "some/model", ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1000, ["completion_tokens"] = 20, ["total_tokens"] = 1020, ["cost"] = 0.00123 },
        }), FakeOpenAIServer.Done()]);

        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = sessionId, ["text"] = "Hello" }))!;

        Assert.Equal((0.00123m, "provider"), (answer["costUsd"]!.GetValue<decimal>(), answer["costSource"]!.GetValue<string>()));
        var session = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = sessionId }))!;
        Assert.Equal(0.00123m, session["costUsd"]!.GetValue<decimal>());
        Assert.Equal(["provider"], session["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}
