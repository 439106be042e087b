using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A cost the sidecar cannot know (a model the catalog has no price for) is on the wire as <c>costUsd: null</c>,
/// as the contract declares it, never as a missing key a client would read as "no cost yet".
/// </summary>
public sealed class UnknownCostTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private readonly FakeOpenAIServer _fake = new();
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
    public async Task SessionGet_AfterATurnOnAModelWithoutPrice_SendsCostUsdAsNull()
    {
        var instance = await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback OpenAI", ["catalogProviderId"] = "openai", ["endpoint"] = _fake.Endpoint, ["apiKey"] = "sk-test-unknown-cost",
        });
        // Not in the catalog: the sidecar knows no price for it.
        var created = await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = instance!["id"]!.GetValue<string>(), ["modelId"] = "unpriced-model", ["allowUnlisted"] = true });
        var sessionId = created!["id"]!.GetValue<string>();
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Hi"), FakeOpenAIServer.Usage(10, 2), FakeOpenAIServer.Done()]);

        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = sessionId, ["text"] = "Hello" }))!.AsObject();
        var session = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = sessionId }))!.AsObject();

        Assert.True(session.ContainsKey("costUsd"), $"session/get sent no costUsd: {session.ToJsonString()}");
        Assert.Null(session["costUsd"]);
        Assert.True(answer.ContainsKey("costUsd"), $"session/send's message has no costUsd: {answer.ToJsonString()}");
        Assert.Null(answer["costUsd"]);
        Assert.Equal(2, session["messageCount"]!.GetValue<int>());
    }
}
