using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.LanguageModels;

/// <summary>
/// Plue's instances as models of VS Code's picker, through the production host: <c>lm/instanceModels</c> lists them,
/// <c>lm/respond</c> answers through the instance's backend (a loopback OpenAI server), streaming <c>lm/responsePart</c>.
/// </summary>
public sealed class PlueModelsTests : IAsyncLifetime
{
    private const string Key = "sk-test-picker-0123456789abcdef";
    private readonly TempDir _home = new();
    private readonly FakeOpenAIServer _fake = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;
    private string _instanceId = "";

    public async Task InitializeAsync()
    {
        (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_home.Path, "home"), null);
        _instanceId = (await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Work OpenAI", ["catalogProviderId"] = "openai", ["endpoint"] = _fake.Endpoint, ["apiKey"] = Key,
            ["modelFilter"] = new JsonObject { ["allow"] = new JsonArray("gpt-4o", "gpt-4o-mini") }, ["retry"] = new JsonObject { ["maxAttempts"] = 1 },
        }))!["id"]!.GetValue<string>();
        await _rpc.CallAsync("instances/create", new JsonObject { ["displayName"] = "Editor models", ["catalogProviderId"] = "vscode-lm" });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _fake.DisposeAsync();
        _home.Dispose();
    }

    private JsonObject Respond(string requestId, params JsonObject[] messages) => new()
    {
        ["requestId"] = requestId, ["instanceId"] = _instanceId, ["modelId"] = "gpt-4o", ["messages"] = new JsonArray([.. messages]),
    };

    private static JsonObject Message(string role, params JsonObject[] parts) => new() { ["role"] = role, ["parts"] = new JsonArray([.. parts]) };

    [Fact]
    public async Task InstanceModels_ListsUsableInstancesModels_NotTheEditorsOwn()
    {
        var models = (await _rpc.CallAsync("lm/instanceModels"))!["models"]!.AsArray();

        Assert.Equal(["gpt-4o", "gpt-4o-mini"], models.Select(m => m!["modelId"]!.GetValue<string>()).Order());
        Assert.All(models, m => Assert.Equal("Work OpenAI", m!["instanceName"]!.GetValue<string>()));
        var gpt4o = models.Single(m => m!["modelId"]!.GetValue<string>() == "gpt-4o")!;
        Assert.Equal(128000, gpt4o["contextWindow"]!.GetValue<int>());
        Assert.True(gpt4o["supportsImages"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Respond_StreamsTextAndToolCalls_WithTheVaultKey_AndCosts()
    {
        _fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Let me "), FakeOpenAIServer.Content("look."),
            FakeOpenAIServer.WholeToolCalls(("call_1", "read_file", """{"path":"a.txt"}""")), FakeOpenAIServer.Finish("tool_calls"), FakeOpenAIServer.Usage(2000, 500), FakeOpenAIServer.Done()]);
        var request = Respond("r1", Message("user", new JsonObject { ["text"] = "Read a.txt" }));
        request["tools"] = new JsonArray(new JsonObject
        {
            ["name"] = "read_file", ["description"] = "Reads a file",
            ["inputSchema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["path"] = new JsonObject { ["type"] = "string" } } },
        });

        var result = (await _rpc.CallAsync("lm/respond", request))!;

        var sent = Assert.Single(_fake.Requests);
        Assert.Equal($"Bearer {Key}", sent.Headers["authorization"]);
        Assert.Equal("read_file", sent.Json!["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        var parts = _rpc.Notifications.Where(n => n["method"]!.GetValue<string>() == "lm/responsePart").Select(n => n["params"]!).ToList();
        Assert.All(parts, p => Assert.Equal("r1", p!["requestId"]!.GetValue<string>()));
        Assert.Equal("Let me look.", string.Concat(parts.Select(p => p!["part"]!["text"]?.GetValue<string>())));
        var call = parts.Single(p => p!["part"]!["toolCall"] is not null)!["part"]!["toolCall"]!;
        Assert.Equal(("call_1", "read_file", "a.txt"), (call["callId"]!.GetValue<string>(), call["name"]!.GetValue<string>(), call["input"]!["path"]!.GetValue<string>()));
        Assert.Equal(2000, result["usage"]!["input"]!.GetValue<long>());
        Assert.Equal(0.01m, result["costUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Respond_ToolResultsAndHistory_ReachTheProviderInItsFormat()
    {
        _fake.EnqueueStream(FakeOpenAIServer.TextReply("It says hi."));
        var call = new JsonObject { ["toolCall"] = new JsonObject { ["callId"] = "call_1", ["name"] = "read_file", ["input"] = new JsonObject { ["path"] = "a.txt" } } };
        var result = new JsonObject { ["toolResult"] = new JsonObject { ["callId"] = "call_1", ["text"] = "hi" } };

        await _rpc.CallAsync("lm/respond", Respond("r2", Message("user", new JsonObject { ["text"] = "Read a.txt" }), Message("assistant", call), Message("user", result)));

        var messages = _fake.Requests.Single().Json!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("call_1", messages[1]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("hi", messages[2]!["content"]!.ToString());
    }

    [Fact]
    public async Task Respond_ProviderRejectsTheKey_IsAProviderError_WithoutTheKey()
    {
        _fake.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key")));

        var error = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("lm/respond", Respond("r3", Message("user", new JsonObject { ["text"] = "hi" }))));

        Assert.Equal(-33003, error.Code);
        Assert.Contains("key", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Respond_NoMessages_OrTheEditorsOwnInstance_IsRefused()
    {
        var editor = (await _rpc.CallAsync("instances/list"))!.AsArray().Single(i => i!["providerType"]!.GetValue<string>() == "vscode-lm")!["id"]!.GetValue<string>();
        var empty = Respond("r4");
        var loop = Respond("r5", Message("user", new JsonObject { ["text"] = "hi" }));
        loop["instanceId"] = editor;

        var noMessages = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("lm/respond", empty));
        var ownModels = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("lm/respond", loop));

        Assert.Equal(-32602, noMessages.Code);
        Assert.Equal(-32602, ownModels.Code);
        Assert.Contains("VS Code's own models", ownModels.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
    }
}
