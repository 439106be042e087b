using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary><c>session/export</c>: a whole chat as markdown or JSON (what <c>plue sessions export</c> writes), named for a file.</summary>
public sealed class ChatExportTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync(title: "Fix the build: now!");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Export_MarkdownAndJson_HoldTheWholeChat()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Four."));
        await _world.Rpc.CallAsync("session/send", _world.Send("two plus two?"));

        var md = (await _world.Rpc.CallAsync("session/export", new JsonObject { ["id"] = _world.SessionId }))!;
        var json = (await _world.Rpc.CallAsync("session/export", new JsonObject { ["id"] = _world.SessionId, ["format"] = "json" }))!;

        Assert.Equal("Fix-the-build-now.md", md["fileName"]!.GetValue<string>());
        Assert.StartsWith("# Fix the build: now!\n", md["text"]!.GetValue<string>());
        Assert.Contains("## You\n\ntwo plus two?\n", md["text"]!.GetValue<string>());
        Assert.Contains("\n\nFour.\n", md["text"]!.GetValue<string>());
        Assert.Equal("Fix-the-build-now.json", json["fileName"]!.GetValue<string>());
        var file = JsonNode.Parse(json["text"]!.GetValue<string>())!;
        Assert.Equal(_world.SessionId, file["session"]!["id"]!.GetValue<string>());
        Assert.Equal(["user", "assistant"], file["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Four.", file["messages"]![1]!["parts"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Export_AnotherFormatOrAnUnknownChat_IsRefused()
    {
        var format = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/export", new JsonObject { ["id"] = _world.SessionId, ["format"] = "pdf" }));
        Assert.Equal(-32602, format.Code);
        Assert.Contains("markdown or json", format.Message);
        var unknown = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/export", new JsonObject { ["id"] = "no-such-chat" }));
        Assert.Equal(-33001, unknown.Code);
    }
}
