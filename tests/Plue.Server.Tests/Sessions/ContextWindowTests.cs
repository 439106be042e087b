using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>A chat's context window: the instance's own setting over the catalog's, and Ollama's /api/show when the catalog has none.</summary>
public sealed class ContextWindowTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private readonly FakeOllamaServer _ollama = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;

    public async Task InitializeAsync() => (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_root.Path, "home"));

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _ollama.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task OllamasDiscoveredWindow_ReachesTheSession_AndTheInstanceIsLocal()
    {
        var instance = (await _rpc.CallAsync("instances/create", new JsonObject { ["displayName"] = "My Ollama", ["catalogProviderId"] = "ollama", ["endpoint"] = _ollama.Endpoint + "/v1" }))!;
        Assert.True(instance["local"]!.GetValue<bool>());

        var chat = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = "qwen3:8b" }))!;
        Assert.Equal(40960, chat["contextWindow"]!.GetValue<int>());
        var got = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = chat["id"]!.GetValue<string>() }))!;
        Assert.Equal(40960, got["contextWindow"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnInstancesOwnWindow_WinsOverTheCatalogs_AndClears()
    {
        var instance = (await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Small server", ["catalogProviderId"] = "openai", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-x-0123456789", ["contextWindow"] = 16384,
        }))!;
        var id = instance["id"]!.GetValue<string>();
        Assert.False(instance["local"]!.GetValue<bool>());
        var chat = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = id, ["modelId"] = "gpt-5" }))!;
        Assert.Equal(16384, chat["contextWindow"]!.GetValue<int>()); // the catalog says 400000

        // Cleared as the settings form clears it; instances/update's contextWindow must be a window (0 is refused as by codex/update).
        await _rpc.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = instance["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["context_window"] = null } });
        var got = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = chat["id"]!.GetValue<string>() }))!;
        Assert.Equal(400000, got["contextWindow"]!.GetValue<int>());
    }

    [Fact]
    public async Task ANegativeWindow_IsRefusedWithWhatToGive_OnCreateAndUpdate_AndNothingIsStored()
    {
        var create = new JsonObject
        {
            ["displayName"] = "Small server", ["catalogProviderId"] = "openai", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-x-0123456789", ["contextWindow"] = -4096,
        };
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("instances/create", (JsonObject)create.DeepClone()));
        Assert.Equal(-32602, refused.Code);
        Assert.Contains("context_window: must be at least 1", refused.Message);
        Assert.DoesNotContain((await _rpc.CallAsync("instances/list"))!.AsArray(), i => i!["displayName"]!.GetValue<string>() == "Small server");

        create["contextWindow"] = 16384;
        var instance = (await _rpc.CallAsync("instances/create", (JsonObject)create.DeepClone()))!;
        var update = new JsonObject { ["id"] = instance["id"]!.GetValue<string>(), ["version"] = instance["version"]!.GetValue<long>(), ["contextWindow"] = -1 };
        refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("instances/update", update));
        Assert.Contains("context_window: must be at least 1", refused.Message);
        var kept = (await _rpc.CallAsync("instances/get", new JsonObject { ["id"] = instance["id"]!.GetValue<string>() }))!;
        Assert.Equal(16384, kept["contextWindow"]!.GetValue<int>());
    }
}
