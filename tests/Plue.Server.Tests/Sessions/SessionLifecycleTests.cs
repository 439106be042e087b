using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>A chat's life outside its turns: created, listed, renamed, archived, deleted, forked, and outliving its instance.</summary>
public sealed class SessionLifecycleTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static string[] Titles(JsonNode? list) => [.. list!.AsArray().Select(s => s!["title"]!.GetValue<string>())];

    [Fact]
    public async Task Create_NeedsAModel_AndAnEnabledInstance()
    {
        var noModel = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = " " }));
        Assert.Contains("modelId", noModel.Message);

        await _world.Rpc.CallAsync("instances/setEnabled", new JsonObject { ["id"] = _world.InstanceId, ["enabled"] = false });
        var disabled = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-test" }));
        Assert.Equal(-32602, disabled.Code);
        Assert.Contains("disabled", disabled.Message);
    }

    [Fact]
    public async Task ListRenameArchiveAndDelete_AreSeenInTheLists()
    {
        var second = await _world.CreateChatAsync(title: "Second");

        var renamed = (await _world.Rpc.CallAsync("session/rename", new JsonObject { ["id"] = second, ["title"] = "Renamed" }))!;
        Assert.Equal("Renamed", renamed["title"]!.GetValue<string>());
        var archived = (await _world.Rpc.CallAsync("session/archive", new JsonObject { ["id"] = _world.SessionId }))!;
        Assert.Equal("archived", archived["status"]!.GetValue<string>());

        Assert.Equal(["Renamed"], Titles(await _world.Rpc.CallAsync("session/list", new JsonObject())));
        Assert.Equal(["Loopback"], Titles(await _world.Rpc.CallAsync("session/list", new JsonObject { ["archived"] = true })));

        Assert.True((await _world.Rpc.CallAsync("session/delete", new JsonObject { ["id"] = second }))!["deleted"]!.GetValue<bool>());
        Assert.Empty(Titles(await _world.Rpc.CallAsync("session/list", new JsonObject())));
        Assert.Equal(-33001, (await Assert.ThrowsAsync<RpcCallException>(() => _world.SessionAsync(second))).Code);
    }

    [Fact]
    public async Task ARecordThatIsNoChat_IsNotASession()
    {
        // The provider instance is a codex record too, of another template.
        var error = await Assert.ThrowsAsync<RpcCallException>(() => _world.SessionAsync(_world.InstanceId));

        Assert.Equal(-33001, error.Code);
        Assert.Contains("not a chat session", error.Message);
    }

    [Fact]
    public async Task AChatWhoseInstanceWasRemoved_StillOpens_WithItsHistory_AndRefusesToSend()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Before."));
        await _world.Rpc.CallAsync("session/send", _world.Send("hi"));

        await _world.Rpc.CallAsync("instances/delete", new JsonObject { ["id"] = _world.InstanceId });

        var session = await _world.SessionAsync();
        Assert.StartsWith("codex://", session["instanceId"]!.GetValue<string>());
        Assert.Null(session["supportsAttachments"]);
        Assert.Equal(2, session["messageCount"]!.GetValue<int>());
        await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/send", _world.Send("still there?")));
        Assert.Single(_world.Fake.Requests);
        Assert.Equal("idle", (await _world.SessionAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChatDeletedByAnotherWindowMidTurn_EndsTheTurnQuietly_KeepingTheAnswer()
    {
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Going")]).Select(f => new FakeStep(f))],
            HoldOpen = true,
        });
        var call = await _world.Rpc.SendAsync("session/send", _world.Send("start"));
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta");

        // This sidecar refuses to delete a chat it is answering (ChatKind); another window's does not know of the turn.
        var (other, otherRpc) = await RpcSession.StartAsync(_world.Home, _world.Workspace);
        await using (other) await otherRpc.CallAsync("codex/delete", new JsonObject { ["id"] = _world.SessionId });
        await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId });
        var answer = (await _world.Rpc.ResultAsync(call))!;

        Assert.Equal(("cancelled", "Going"), (answer["status"]!.GetValue<string>(), answer["parts"]![0]!["text"]!.GetValue<string>()));
        var stored = _world.Service<Plue.Transcripts.MessageStore>().Messages(_world.SessionId);
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task Fork_FromAnAnswer_CopiesUpToIt_UnderTheSourcesSettings_AndTheSourceGoesOn()
    {
        foreach (var reply in new[] { "one", "two" })
        {
            _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply(reply));
            await _world.Rpc.CallAsync("session/send", _world.Send("q " + reply));
        }
        var firstAnswer = (await _world.MessagesAsync())[1]!;

        var fork = (await _world.Rpc.CallAsync("session/fork", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = firstAnswer["id"]!.GetValue<string>() }))!;

        var forkId = fork["id"]!.GetValue<string>();
        Assert.Equal(("Loopback (fork)", "gpt-test", 2), (fork["title"]!.GetValue<string>(), fork["modelId"]!.GetValue<string>(), fork["messageCount"]!.GetValue<int>()));
        Assert.Equal(["q one", "one"], (await _world.MessagesAsync(forkId)).Select(m => m!["parts"]![0]!["text"]!.GetValue<string>()));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("three"));
        await _world.Rpc.CallAsync("session/send", _world.Send("q three", forkId));
        Assert.DoesNotContain("q two", _world.Fake.Requests[2].Json!["messages"]!.ToJsonString());
        Assert.Equal(4, (await _world.MessagesAsync()).Count);
    }
}
