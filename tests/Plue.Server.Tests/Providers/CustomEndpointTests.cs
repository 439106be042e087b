using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Providers;

/// <summary>
/// "OpenAI-compatible (custom endpoint)" and "Anthropic-compatible (custom endpoint)": a server of the user's own (vLLM,
/// LM Studio, llama.cpp, LiteLLM, a gateway) whose models are exactly the ones it lists, through the production host
/// against loopback fakes that list two models.
/// </summary>
public sealed class CustomEndpointTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;

    public async Task InitializeAsync() => (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_home.Path, "home"));

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Catalog_CustomEndpointProviders_AreSupportedWithNoEndpointNoKeyAndNoModels()
    {
        var list = (await _rpc.CallAsync("catalog/list"))!.AsArray().Select(p => p!.AsObject()).ToDictionary(p => p["id"]!.GetValue<string>());

        Assert.Equal(("OpenAI-compatible (custom endpoint)", "openai-compatible", true, 0),
            (list["openai-compatible"]["name"]!.GetValue<string>(), list["openai-compatible"]["type"]!.GetValue<string>(),
             list["openai-compatible"]["supported"]!.GetValue<bool>(), list["openai-compatible"]["modelCount"]!.GetValue<int>()));
        Assert.Equal(("anthropic", true, 0), (list["anthropic-compatible"]["type"]!.GetValue<string>(),
            list["anthropic-compatible"]["supported"]!.GetValue<bool>(), list["anthropic-compatible"]["modelCount"]!.GetValue<int>()));
        Assert.Null(list["openai-compatible"]["defaultEndpoint"]);
    }

    [Fact]
    public async Task OpenAICompatible_ModelsAreExactlyTheServersAndAChatWorks_WithoutAKey()
    {
        await using var fake = new FakeOpenAIServer();
        var id = await CreateAsync("openai-compatible", "vLLM on the box", fake.Endpoint);

        var test = (await _rpc.CallAsync("instances/test", new JsonObject { ["id"] = id }))!;
        var models = (await _rpc.CallAsync("instances/models", new JsonObject { ["id"] = id }))!.AsArray();

        Assert.True(test["ok"]!.GetValue<bool>(), test.ToJsonString());
        Assert.Equal(2, test["modelCount"]!.GetValue<int>());
        Assert.Equal(["gpt-test", "gpt-test-mini"], models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(models, m => Assert.Null(m!["prices"])); // no catalog price: unknown, never 0

        // Listed, so no allowUnlisted is needed; the keyless instance sends no Authorization header.
        var session = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = id, ["modelId"] = "gpt-test-mini" }))!["id"]!.GetValue<string>();
        fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Hello from vLLM"), FakeOpenAIServer.Usage(12, 4), FakeOpenAIServer.Done()]);
        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = session, ["text"] = "Hi" }))!;

        Assert.Equal("Hello from vLLM", answer["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Null(answer["costUsd"]);
        var chat = fake.Requests.Single(r => r.Method == "POST");
        Assert.Equal(("/v1/chat/completions", "gpt-test-mini"), (chat.Path, chat.Json["model"]!.GetValue<string>()));
        Assert.Null(chat.Header("authorization"));
    }

    [Fact]
    public async Task AnthropicCompatible_ModelsAreExactlyTheServersAndAChatWorks_WithItsAuthToken()
    {
        await using var fake = new FakeAnthropicServer();
        var id = await CreateAsync("anthropic-compatible", "Company gateway", fake.Endpoint, new JsonObject { ["apiKey"] = "gw-token-0123", ["credential"] = "authToken" });

        var models = (await _rpc.CallAsync("instances/models", new JsonObject { ["id"] = id }))!.AsArray();
        Assert.Equal(["claude-haiku-4-5", "claude-sonnet-4-5"], models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("Bearer gw-token-0123", fake.Requests.Single(r => r.Path == "/v1/models").Header("authorization"));

        var session = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = id, ["modelId"] = "claude-haiku-4-5" }))!["id"]!.GetValue<string>();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("Hello from the gateway"));
        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = session, ["text"] = "Hi" }))!;

        Assert.Equal("Hello from the gateway", answer["parts"]![0]!["text"]!.GetValue<string>());
        var chat = fake.Requests.Single(r => r.Method == "POST");
        Assert.Equal(("Bearer gw-token-0123", null), (chat.Header("authorization"), chat.Header("x-api-key")));
    }

    [Fact]
    public async Task OpenAICompatible_ServerWithoutAModelList_SaysToTypeAModelId_ThenOffersTheTypedOne()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = request => request.Method == "GET" ? FakeResponse.Json(404, """{"detail":"Not Found"}""") : fake.Http.Next();
        var id = await CreateAsync("openai-compatible", "llama-server", fake.Endpoint);

        var test = (await _rpc.CallAsync("instances/test", new JsonObject { ["id"] = id }))!;
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("instances/models", new JsonObject { ["id"] = id }));

        Assert.False(test["ok"]!.GetValue<bool>());
        var expected = $"llama-server does not list its models at {fake.Endpoint}/models (it answered HTTP 404), so Plue cannot offer them. "
            + "Type the id of a model the server serves: Edit Provider Instance and set Default model (or Only these models), then pick it.";
        Assert.Equal(expected, test["error"]!.GetValue<string>());
        Assert.Equal((-33003, expected), (refused.Code, refused.Message));

        // The id the user typed is what the instance offers, and a chat on it works.
        var instance = (await _rpc.CallAsync("instances/get", new JsonObject { ["id"] = id }))!;
        await _rpc.CallAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = instance["version"]!.GetValue<long>(), ["defaultModel"] = "qwen3-coder" });
        var models = (await _rpc.CallAsync("instances/models", new JsonObject { ["id"] = id }))!.AsArray();
        Assert.Equal(["qwen3-coder"], models.Select(m => m!["id"]!.GetValue<string>()));

        var session = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = id, ["modelId"] = "qwen3-coder" }))!["id"]!.GetValue<string>();
        fake.EnqueueStream([.. FakeOpenAIServer.TextReply("typed"), FakeOpenAIServer.Usage(3, 1), FakeOpenAIServer.Done()]);
        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = session, ["text"] = "Hi" }))!;
        Assert.Equal("typed", answer["parts"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAICompatible_ServerAnsweringItsListWithAPage_SaysItIsNoModelList()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Stream("text/html", ["<html>LM Studio</html>"]);
        var id = await CreateAsync("openai-compatible", "Web UI", fake.Endpoint);

        var test = (await _rpc.CallAsync("instances/test", new JsonObject { ["id"] = id }))!;
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("instances/models", new JsonObject { ["id"] = id }));

        Assert.StartsWith($"Web UI does not list its models at {fake.Endpoint}/models (its answer is not a model list)", test["error"]!.GetValue<string>());
        Assert.Equal(test["error"]!.GetValue<string>(), refused.Message);
    }

    [Fact]
    public async Task CustomEndpoint_WithoutAnEndpoint_IsRefusedSayingToSetOne()
    {
        var id = await CreateAsync("openai-compatible", "No URL", endpoint: null);

        var test = (await _rpc.CallAsync("instances/test", new JsonObject { ["id"] = id }))!;

        Assert.False(test["ok"]!.GetValue<bool>());
        Assert.Contains("no endpoint", test["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string> CreateAsync(string provider, string name, string? endpoint, JsonObject? more = null)
    {
        var request = new JsonObject { ["displayName"] = name, ["catalogProviderId"] = provider };
        if (endpoint is not null) request["endpoint"] = endpoint;
        foreach (var (key, value) in more ?? []) request[key] = value?.DeepClone();
        return (await _rpc.CallAsync("instances/create", request))!["id"]!.GetValue<string>();
    }
}
