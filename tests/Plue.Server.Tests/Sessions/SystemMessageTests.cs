using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Codex.Automation;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Sessions;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// System-role messages a user (<c>session/addSystem</c>) or a template adds to a chat: stored where they are added,
/// no turn of their own, sent from the next turn on as system content where they stand, kept through a compaction.
/// </summary>
public sealed class SystemMessageTests
{
    private const string Instruction = "Answer in French.";

    [Fact]
    public async Task AddSystem_StoresItWithoutATurn_AndTheNextTurnSendsItAsASystemMessageWhereItStands()
    {
        await using var world = await ChatWorld.StartAsync();
        world.Fake.EnqueueStream([.. FakeOpenAIServer.TextReply("First answer"), FakeOpenAIServer.Done()]);
        world.Fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Deuxième réponse"), FakeOpenAIServer.Done()]);
        await world.Rpc.CallAsync("session/send", world.Send("one"));

        var added = (await world.Rpc.CallAsync("session/addSystem", new JsonObject { ["sessionId"] = world.SessionId, ["text"] = $"\n {Instruction} \n" }))!;

        Assert.Equal("system", added["role"]!.GetValue<string>());
        Assert.Equal(Instruction, added["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Single(world.Fake.Requests);
        Assert.Contains(world.Rpc.Notifications, n => n["method"]!.GetValue<string>() == "session/messageUpdated" && n["params"]!.ToJsonString().Contains(Instruction));

        await world.Rpc.CallAsync("session/send", world.Send("two"));
        var sent = world.Fake.Requests[1].Json!["messages"]!.AsArray().Select(m => (Role: m!["role"]!.GetValue<string>(), Text: m["content"]!.ToJsonString())).ToList();
        var at = sent.FindIndex(m => m.Role == "system" && m.Text.Contains(Instruction));
        Assert.True(at >= 0, string.Join(" | ", sent));
        // After the first exchange, before the question it was added before.
        Assert.Equal(["user", "assistant", "system", "user"], sent.Skip(at - 2).Select(m => m.Role));
        Assert.DoesNotContain(Instruction, world.Fake.Requests[0].Json!.ToJsonString());

        var stored = await world.MessagesAsync();
        Assert.Equal(["user", "assistant", "system", "user", "assistant"], stored.Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AddSystem_RefusesEmptyOrOverlongTextAndAnArchivedChat_StoringNothing()
    {
        await using var world = await ChatWorld.StartAsync();
        var empty = await Assert.ThrowsAsync<RpcCallException>(() => world.Rpc.CallAsync("session/addSystem", new JsonObject { ["sessionId"] = world.SessionId, ["text"] = "  \n" }));
        Assert.Equal(-32602, empty.Code);
        Assert.Contains("write what the system message says", empty.Message);
        var overlong = await Assert.ThrowsAsync<RpcCallException>(() => world.Rpc.CallAsync("session/addSystem",
            new JsonObject { ["sessionId"] = world.SessionId, ["text"] = new string('x', ChatTurnRunner.MaxSystemChars + 1) }));
        Assert.Contains("at most 100,000 characters", overlong.Message);
        await world.Rpc.CallAsync("session/archive", new JsonObject { ["id"] = world.SessionId });
        var archived = await Assert.ThrowsAsync<RpcCallException>(() => world.Rpc.CallAsync("session/addSystem", new JsonObject { ["sessionId"] = world.SessionId, ["text"] = Instruction }));
        Assert.Contains("unarchive it", archived.Message);
        Assert.Empty(await world.MessagesAsync());
    }

    [Fact]
    public async Task ATemplatesMessagesList_WhoseLastItemIsASystemOne_AddsItAsASystemMessage_WithoutATurn()
    {
        await using var world = await ChatWorld.StartAsync();
        var record = world.Service<CodexService>().Get(world.SessionId);
        var fields = (JsonObject)record.Fields.DeepClone();
        fields["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = Instruction });
        var action = world.Service<IEnumerable<IAutomationAction>>().Single(a => a.Name == "send_to_llm");

        await action.RunAsync(record with { Fields = fields }, new HookSpec { Trigger = "field_change", Field = "messages", Action = "send_to_llm" }, CancellationToken.None);

        var stored = Assert.Single(await world.MessagesAsync())!;
        Assert.Equal("system", stored["role"]!.GetValue<string>());
        Assert.Equal(Instruction, stored["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Empty(world.Fake.Requests);
    }

    [Fact]
    public void Build_SendsASystemMessageAsSystemText_AndKeepsItAfterACompactionSummarisedWhatWasAroundIt()
    {
        SessionMessage Message(int seq, MessageRole role, params MessagePart[] parts) => new()
        {
            Id = $"m{seq}", SessionId = "s", Seq = seq, Role = role, Status = MessageStatus.Complete, Parts = [.. parts], CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var history = TranscriptBuilder.Build([
            Message(0, MessageRole.User, new TextPart { Id = "a", Text = "Old question" }),
            Message(1, MessageRole.System, new TextPart { Id = "b", Text = Instruction }),
            Message(2, MessageRole.Assistant, new TextPart { Id = "c", Text = "Old answer" }),
            Message(3, MessageRole.Assistant, new SummaryPart { Id = "d", Text = "Summary" }),
            Message(4, MessageRole.User, new TextPart { Id = "e", Text = "New question" }),
        ]);

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.User], history.Select(m => m.Role));
        Assert.Equal([Instruction, "Summary", "New question"], history.Select(m => m.Text));
    }

    [Fact]
    public void Build_ASystemMessageWithoutText_IsNotSent()
    {
        SessionMessage Message(int seq, MessageRole role, string? text) => new()
        {
            Id = $"m{seq}", SessionId = "s", Seq = seq, Role = role, Status = MessageStatus.Complete, Parts = [new TextPart { Id = $"p{seq}", Text = text }], CreatedAt = DateTimeOffset.UnixEpoch,
        };

        var history = TranscriptBuilder.Build([Message(0, MessageRole.System, ""), Message(1, MessageRole.System, null), Message(2, MessageRole.User, "Question")]);

        Assert.Equal(ChatRole.User, Assert.Single(history).Role);
    }
}
