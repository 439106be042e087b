using System.Text.Json.Nodes;
using Plue.Codex.Automation;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Tests.Fakes;

namespace Plue.Tests.Sessions;

/// <summary>
/// The send_to_llm hook over the real sidecar: a field that holds no text to send (an empty list, an item that is no
/// message, a content that is no string, an empty one) sends nothing and stores nothing; a list's last user item is sent.
/// </summary>
public sealed class SendToLlmShapesTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task RunAsync(string field, JsonNode? value)
    {
        var record = _world.Service<CodexService>().Get(_world.SessionId);
        var fields = (JsonObject)record.Fields.DeepClone();
        fields[field] = value;
        var action = _world.Service<IEnumerable<IAutomationAction>>().Single(a => a.Name == "send_to_llm");
        return action.RunAsync(record with { Fields = fields }, new HookSpec { Trigger = "field_change", Field = field, Action = "send_to_llm" }, CancellationToken.None);
    }

    [Fact]
    public async Task AFieldWithNoTextToSend_SendsNothing_AndTheLastUserItemOfAListIsSent()
    {
        await RunAsync("messages", new JsonArray());
        await RunAsync("messages", new JsonArray("a bare string, not a message"));
        await RunAsync("messages", new JsonArray(new JsonObject { ["role"] = 1, ["content"] = new JsonObject { ["text"] = "nested" } }));
        await RunAsync("messages", new JsonArray(new JsonObject { ["role"] = "system", ["content"] = 42 }));
        await RunAsync("messages", new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "" }));
        await RunAsync("user_message", 42);
        await RunAsync("user_message", new JsonArray());

        Assert.Empty(await _world.MessagesAsync());
        Assert.Empty(_world.Fake.Requests);

        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Answered."));
        await RunAsync("messages", new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "Earlier, not the last item" },
            new JsonObject { ["role"] = "user", ["content"] = "From the list" }));

        var messages = await _world.MessagesAsync();
        Assert.Equal(["user", "assistant"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("From the list", messages[0]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.DoesNotContain("Earlier, not the last item", _world.Fake.Requests.Single().Json!.ToJsonString());
    }
}
