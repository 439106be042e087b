using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat turn at its edges, over the real sidecar and a loopback OpenAI server: an image sent without words, an edit
/// of a message the store holds without text or of one it does not hold, and a compaction asked for mid-answer.
/// </summary>
public sealed class ChatTurnEdgesTests : IAsyncLifetime
{
    private const string Pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<RpcCallException> RefusedAsync(string method, JsonObject request) => Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync(method, request));

    private static JsonArray Image() => new(new JsonObject { ["kind"] = "image", ["path"] = "pixel.png", ["mimeType"] = "image/png", ["data"] = Pixel });

    private JsonNode SentUser(int request) => _world.Fake.Requests[request].Json!["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!;

    [Fact]
    public async Task Send_AnImageWithoutWords_IsSentAsTheImageAlone()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("A red pixel."));
        var request = _world.Send("  ");
        request["attachments"] = Image();

        var answer = (await _world.Rpc.CallAsync("session/send", request))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal($$$"""[{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Pixel}}}"}}]""", SentUser(0).ToJsonString());
        var stored = (await _world.MessagesAsync())[0]!["parts"]!.AsArray();
        Assert.Equal(["text", "file"], stored.Select(p => p!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EditAndResend_AnUnknownMessage_IsNotFound_AndAStoredMessageWithoutText_GetsTheNewTextFirst()
    {
        var unknown = await RefusedAsync("session/editAndResend", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = "no-such-message", ["text"] = "x" });
        Assert.Equal(-33001, unknown.Code);
        Assert.Contains("'no-such-message' is not in this chat", unknown.Message);
        // A user message stored with its image only (no text part at all), as an import or an older panel may leave it.
        _world.Service<MessageStore>().InsertMessage(new SessionMessage
        {
            Id = "imported", SessionId = _world.SessionId, Seq = 0, Role = MessageRole.User, Status = MessageStatus.Complete, CreatedAt = DateTimeOffset.UtcNow,
            Parts = [new FilePart { Id = "imported-image", Path = "pixel.png", MimeType = "image/png", Content = Pixel }],
        }, owner: null);
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Red."));

        await _world.Rpc.CallAsync("session/editAndResend", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = "imported", ["text"] = "Which colour?" });

        var edited = (await _world.MessagesAsync())[0]!["parts"]!.AsArray();
        Assert.Equal(["text", "file"], edited.Select(p => p!["kind"]!.GetValue<string>()));
        Assert.Equal(("Which colour?", Pixel), (edited[0]!["text"]!.GetValue<string>(), edited[1]!["content"]!.GetValue<string>()));
        Assert.Equal(["text", "image_url"], SentUser(0).AsArray().Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal(MessageStatus.Superseded, _world.Service<MessageStore>().Message("imported")!.Status);
    }

    [Fact]
    public async Task Compact_WhileTheChatAnswers_IsRefused_AndTheAnswerGoesOn()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("First."));
        await _world.Rpc.CallAsync("session/send", _world.Send("one"));
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Working")]).Select(f => new FakeStep(f))],
            HoldOpen = true,
        });
        var turn = await _world.Rpc.SendAsync("session/send", _world.Send("two"));
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["delta"]!.GetValue<string>() == "Working");

        var refused = await RefusedAsync("session/compact", new JsonObject { ["sessionId"] = _world.SessionId });

        Assert.Equal(-32602, refused.Code);
        Assert.Contains("The chat is answering; stop it or wait, then compact", refused.Message);
        Assert.Equal("active", (await _world.SessionAsync())["status"]!.GetValue<string>());
        await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId });
        Assert.Equal("cancelled", (await _world.Rpc.ResultAsync(turn))!["status"]!.GetValue<string>());
        Assert.Equal(4, (await _world.MessagesAsync()).Count);
        Assert.Equal(2, _world.Fake.Requests.Count);
    }
}
