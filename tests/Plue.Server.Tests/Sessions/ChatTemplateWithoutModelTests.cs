using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat of a user's ai-chat template with no model and no mode field (the design notes' own, in PLUE_HOME/templates):
/// it talks to its provider's default model, and until the provider has one, every way to use or change it says what to do.
/// </summary>
public sealed class ChatTemplateWithoutModelTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync(prepareHome: home =>
    {
        var templates = Directory.CreateDirectory(Path.Combine(home, "templates")).FullName;
        File.Copy(RepoPaths.Fixtures("templates", "design-notes", "ai-chat.json5"), Path.Combine(templates, "ai-chat.json5"));
    });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<RpcCallException> RefusedAsync(string method, JsonObject request) => Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync(method, request));

    private JsonObject SetModel(string modelId) => new() { ["id"] = _world.SessionId, ["instanceId"] = _world.InstanceId, ["modelId"] = modelId, ["allowUnlisted"] = true };

    [Fact]
    public async Task WithoutADefaultModel_SendCompactSetModelAndSetMode_AreRefusedSayingWhatToChange_AndNothingIsStoredOrSent()
    {
        var session = await _world.SessionAsync();
        Assert.Equal("", session["modelId"]!.GetValue<string>());
        Assert.Null(session["mode"]);

        var send = await RefusedAsync("session/send", _world.Send("hi"));
        var compact = await RefusedAsync("session/compact", new JsonObject { ["sessionId"] = _world.SessionId });
        var blank = await RefusedAsync("session/setModel", SetModel(" "));
        var other = await RefusedAsync("session/setModel", SetModel("gpt-other"));
        var mode = await RefusedAsync("session/setMode", new JsonObject { ["id"] = _world.SessionId, ["mode"] = "mode-ask" });

        Assert.All(new[] { send, compact }, e => Assert.Contains("The chat has no model, and its provider no default model", e.Message));
        Assert.Contains("modelId: is required", blank.Message);
        Assert.Contains("has no model_id field, so it talks to the provider's default model (none set)", other.Message);
        Assert.Contains("has no mode field; add it to the template", mode.Message);
        Assert.All(new[] { send, compact, blank, other, mode }, e => Assert.Equal(-32602, e.Code));
        Assert.Empty(await _world.MessagesAsync());
        Assert.Empty(_world.Fake.Requests);
        Assert.Null((await _world.SessionAsync())["mode"]);
    }

    [Fact]
    public async Task OnceTheProviderHasADefaultModel_TheChatTalksToIt_AndMaySetOnlyThatOne()
    {
        var instance = (await _world.Rpc.CallAsync("instances/get", new JsonObject { ["id"] = _world.InstanceId }))!;
        await _world.Rpc.CallAsync("instances/update", new JsonObject { ["id"] = _world.InstanceId, ["version"] = instance["version"]!.GetValue<long>(), ["defaultModel"] = "gpt-default" });

        Assert.Equal("gpt-default", (await _world.SessionAsync())["modelId"]!.GetValue<string>());
        Assert.Equal("gpt-default", (await _world.Rpc.CallAsync("session/setModel", SetModel("gpt-default")))!["modelId"]!.GetValue<string>());
        Assert.Contains("default model (gpt-default)", (await RefusedAsync("session/setModel", SetModel("gpt-other"))).Message);
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Hello."));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("hi")))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal("gpt-default", _world.Fake.Requests.Single(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Json!["model"]!.GetValue<string>());
    }
}
