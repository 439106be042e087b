using System.Text.Json.Nodes;
using Plue.Rpc;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// The chat kind over the real sidecar and its SQLite store: a chat's provider and model are the chat's to write
/// (session/setModel checks the provider offers the model); <c>codex/update</c> moves it after the same checks, with the
/// same verdict; <c>codex/create</c> and a <c>codex/undo</c> of the chat's own move are refused naming the field, with
/// nothing changed.
/// <c>codex/delete</c> of a chat that is answering is refused as <c>session/delete</c> refuses it.
/// </summary>
public sealed class ChatKindTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>One move of the chat to a model: <c>Refused</c> is what the refusal must say (null: accepted).</summary>
    public static TheoryData<string, string, string?> Moves() => new()
    {
        { "a model the catalog lists for the provider", "gpt-4o", null },
        { "a model the provider lists", "gpt-test-mini", null },
        { "a model the provider does not offer", "no-such-model", "'no-such-model' is not a model Loopback OpenAI offers" },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public async Task MoveModel_SameMoveThroughEitherDoor_SameVerdict(string name, string modelId, string? refused)
    {
        var typedChat = await _world.CreateChatAsync("Typed door");
        var before = await RecordAsync();

        var viaCodex = await VerdictAsync("codex/update", new JsonObject
        {
            ["id"] = _world.SessionId, ["version"] = before["version"]!.DeepClone(), ["fields"] = new JsonObject { ["model_id"] = modelId },
        });
        var viaTyped = await VerdictAsync("session/setModel", new JsonObject { ["id"] = typedChat, ["instanceId"] = _world.InstanceId, ["modelId"] = modelId });

        Assert.True((refused is null) == (viaCodex is null), $"{name}: codex/update said {viaCodex ?? "yes"}");
        Assert.True((refused is null) == (viaTyped is null), $"{name}: session/setModel said {viaTyped ?? "yes"}");
        if (refused is not null)
        {
            // Bad input: -32602 naming the model through either door (codex/update by its field), and neither chat moved.
            Assert.Contains(refused, viaCodex, StringComparison.Ordinal);
            Assert.Contains(refused, viaTyped, StringComparison.Ordinal);
            Assert.Contains("model_id: ", viaCodex, StringComparison.Ordinal);
            Assert.True(JsonNode.DeepEquals(before, await RecordAsync()), "the refused change left the chat as it was");
        }
        var expected = refused is null ? modelId : "gpt-test";
        Assert.Equal(expected, (await RecordAsync())["fields"]!["model_id"]!.GetValue<string>());
        Assert.Equal(expected, (await _world.SessionAsync(typedChat))["modelId"]!.GetValue<string>());
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

    [Fact]
    public async Task CodexCreate_ChatWrittenFields_AreRefusedNamingThemAndSessionCreate_AndNothingCreated()
    {
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "ai-chat", ["title"] = "Forged", ["fields"] = new JsonObject { ["instance_ref"] = "env:openai", ["model_id"] = "gpt-4o" },
        }));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("instance_ref: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("model_id: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("a chat starts on a provider and model", refused.Message, StringComparison.Ordinal);
        Assert.Equal([_world.SessionId], await ChatIdsAsync());
    }

    [Fact]
    public async Task CodexDelete_ChatAnswering_IsRefusedAsSessionDeleteIs_AndTheChatKept()
    {
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Working")]).Select(f => new FakeStep(f))],
            HoldOpen = true,
        });
        var turn = await _world.Rpc.SendAsync("session/send", _world.Send("long task"));
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta");
        var before = await RecordAsync();

        var viaTyped = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/delete", new JsonObject { ["id"] = _world.SessionId }));
        var viaCodex = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("codex/delete", new JsonObject { ["id"] = _world.SessionId }));

        Assert.Equal(ErrorCodes.InvalidParams, viaCodex.Code);
        Assert.Equal((viaTyped.Code, viaTyped.Message), (viaCodex.Code, viaCodex.Message));
        Assert.Contains("answering", viaCodex.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await RecordAsync()), "the refused delete left the chat as it was");
        await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId });
        Assert.Equal("cancelled", (await _world.Rpc.ResultAsync(turn))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CodexUndo_OfTheChatsOwnModelMove_IsRefusedPointingToSetModel_AndTheModelKept()
    {
        await _world.Rpc.CallAsync("session/setModel", new JsonObject { ["id"] = _world.SessionId, ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-4o" });
        var before = await RecordAsync();

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("codex/undo", new JsonObject { ["id"] = _world.SessionId }));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("model_id: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("its model picker moves it to another", refused.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await RecordAsync()), "the refused undo left the chat as it was");
    }

    [Fact]
    public async Task CodexUndo_OfACallersOwnChange_IsUndone()
    {
        var before = await RecordAsync();
        await _world.Rpc.CallAsync("codex/update", new JsonObject
        {
            ["id"] = _world.SessionId, ["version"] = before["version"]!.DeepClone(), ["fields"] = new JsonObject { ["temperature"] = 0.5 },
        });

        var undone = (await _world.Rpc.CallAsync("codex/undo", new JsonObject { ["id"] = _world.SessionId }))!["record"]!;

        Assert.True(JsonNode.DeepEquals(before["fields"], undone["fields"]), undone.ToJsonString());
    }

    /// <summary>Null when the request was accepted; else the refusal's message (a -32602, as for any bad input).</summary>
    private async Task<string?> VerdictAsync(string method, JsonObject request)
    {
        try
        {
            await _world.Rpc.CallAsync(method, request);
            return null;
        }
        catch (RpcCallException e)
        {
            Assert.Equal(ErrorCodes.InvalidParams, e.Code);
            return e.Message;
        }
    }

    private async Task<IReadOnlyList<string>> ChatIdsAsync() =>
        [.. (await _world.Rpc.CallAsync("codex/list", new JsonObject { ["templateId"] = "ai-chat" }))!["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];

    private async Task<JsonNode> RecordAsync() => (await _world.Rpc.CallAsync("codex/get", new JsonObject { ["id"] = _world.SessionId }))!;
}
