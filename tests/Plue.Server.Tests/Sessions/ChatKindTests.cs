using System.Text.Json.Nodes;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// The chat kind over the real sidecar and its SQLite store: a chat's provider and model are the chat's to write
/// (session/setModel checks the provider offers the model); <c>codex/update</c> refuses a caller's change to them,
/// naming the field, with nothing changed. Writing <c>user_message</c> still sends it.
/// </summary>
public sealed class ChatKindTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("model_id", "gpt-4o")]
    [InlineData("instance_ref", "env:openai")]
    public async Task CodexUpdate_ChatWrittenField_IsRefusedNamingIt_AndNothingChanged(string field, string value)
    {
        var before = await RecordAsync();

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("codex/update", new JsonObject
        {
            ["id"] = _world.SessionId, ["version"] = before["version"]!.DeepClone(), ["fields"] = new JsonObject { [field] = value },
        }));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains($"{field}: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("session/setModel", refused.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await RecordAsync()), "the refused change left the chat as it was");
    }

    [Fact]
    public async Task SessionSetModel_TheChatsOwnWrite_MovesTheModel()
    {
        var session = await _world.Rpc.CallAsync("session/setModel", new JsonObject { ["id"] = _world.SessionId, ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-4o" });

        Assert.Equal("gpt-4o", session!["modelId"]!.GetValue<string>());
        Assert.Equal("gpt-4o", (await RecordAsync())["fields"]!["model_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CodexUpdate_SameModelBesideAnotherSetting_IsAccepted()
    {
        var before = await RecordAsync();
        var fields = before["fields"]!.DeepClone().AsObject();
        fields["temperature"] = 0.5; // a form sends the chat's own fields back as they were: not a change to them

        var updated = (await _world.Rpc.CallAsync("codex/update", new JsonObject { ["id"] = _world.SessionId, ["version"] = before["version"]!.DeepClone(), ["fields"] = fields }))!;

        Assert.Equal(0.5, updated["fields"]!["temperature"]!.GetValue<double>());
        Assert.Equal("gpt-test", updated["fields"]!["model_id"]!.GetValue<string>());
    }

    private async Task<JsonNode> RecordAsync() => (await _world.Rpc.CallAsync("codex/get", new JsonObject { ["id"] = _world.SessionId }))!;
}
