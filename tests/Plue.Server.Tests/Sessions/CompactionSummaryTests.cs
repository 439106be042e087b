using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Sessions;

/// <summary>
/// What a compaction's summary keeps verbatim beside the model's notes, over the real sidecar and a loopback OpenAI
/// fake: the goal (cut when huge), the instructions, the files touched (attached or named by a tool call, images not),
/// the tool results no answer has followed yet; and a summarising model that writes nothing, or says nothing of usage.
/// </summary>
public sealed class CompactionSummaryTests : IAsyncLifetime
{
    private const string Instructions = "Be terse.";
    private static readonly string Goal = "GOAL: " + new string('g', 17_000);
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync(systemPrompt: Instructions);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private void Store(int seq, MessageRole role, params MessagePart[] parts) =>
        _world.Service<MessageStore>().InsertMessage(new SessionMessage
        {
            Id = Guid.NewGuid().ToString(), SessionId = _world.SessionId, Seq = seq, Role = role, Status = MessageStatus.Complete,
            Parts = parts, CreatedAt = DateTimeOffset.UtcNow,
        }, owner: null);

    private static string Id() => Guid.NewGuid().ToString();

    private static JsonObject Input(params (string Key, JsonNode? Value)[] members)
    {
        var input = new JsonObject();
        foreach (var (key, value) in members) input[key] = value;
        return input;
    }

    /// <summary>A task-like transcript: a huge goal with attachments, tool calls naming files, and results no answer followed.</summary>
    private void StoreToolWork()
    {
        Store(0, MessageRole.User,
            new TextPart { Id = Id(), Text = Goal },
            new FilePart { Id = Id(), Path = "src/parser.cs", Content = "class Parser {}" },
            new FilePart { Id = Id(), Path = "shot.png", Content = "iVBORw0KGgo=", MimeType = "image/png" },
            new FilePart { Id = Id(), Path = "", Content = "pasted without a name" });
        Store(1, MessageRole.Assistant,
            new TextPart { Id = Id(), Text = "Reading the lexer." },
            new ToolUsePart { Id = Id(), ToolCallId = "call_1", Name = "read", State = ToolState.Completed, Input = Input(("path", "src/lexer.cs"), ("file", 42), ("other", "not-a-path.txt")) },
            new ToolUsePart { Id = Id(), ToolCallId = "call_2", Name = "edit", State = ToolState.Completed, Input = Input(("file_path", "docs/notes.md"), ("file", "src/parser.cs")) },
            new ToolUsePart { Id = Id(), ToolCallId = "call_3", Name = "search", State = ToolState.Completed },
            new ToolResultPart { Id = Id(), ToolCallId = "call_1", Output = "lexer text" });
        Store(2, MessageRole.Assistant,
            new ToolResultPart { Id = Id(), ToolCallId = "call_4", Name = "read", Output = "contents of lexer" },
            new ToolResultPart { Id = Id(), ToolCallId = "call_5", Output = "no such file" });
    }

    private Task<JsonNode?> CompactAsync() => _world.Rpc.CallAsync("session/compact", new JsonObject { ["sessionId"] = _world.SessionId });

    [Fact]
    public async Task Compact_KeepsTheGoalCutTheInstructionsTheFilesTouchedAndUnansweredResults_Verbatim_OnTheCompactionModel()
    {
        StoreToolWork();
        await _world.SetFieldsAsync(new JsonObject { ["compaction_model"] = "  gpt-cheap " });
        // No usage frame: the summary call's cost is unknown, never $0.
        _world.Fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("NOTES: the lexer was read."), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Done()]);

        var compacted = (await CompactAsync())!;

        var text = compacted["parts"]![0]!["text"]!.GetValue<string>();
        Assert.Contains("## The goal (the first message, verbatim)\n\n" + Goal[..16_000] + "\n[…cut]", text);
        Assert.DoesNotContain(Goal, text);
        Assert.Contains("## The instructions (verbatim)\n\n" + Instructions, text);
        Assert.Contains("## Files touched\n\n- src/parser.cs\n- src/lexer.cs\n- docs/notes.md\n\n", text);
        Assert.DoesNotContain("shot.png", text);
        Assert.DoesNotContain("not-a-path.txt", text);
        Assert.Contains("## Tool results not yet acted on (verbatim)\n\nread: contents of lexer\n\ncall_5: no such file", text);
        Assert.EndsWith("## Notes on the conversation so far\n\nNOTES: the lexer was read.", text);
        Assert.Equal(3, compacted["parts"]![0]!["messages"]!.GetValue<int>());
        Assert.Equal(("gpt-cheap", "unknown"), (compacted["modelId"]!.GetValue<string>(), compacted["costSource"]!.GetValue<string>()));
        Assert.Null(compacted["costUsd"]);

        var asked = _world.Fake.Requests.Single().Json!;
        Assert.Equal("gpt-cheap", asked["model"]!.GetValue<string>());
        // The calls go back answered: call_1 by its result, the others as interrupted (providers refuse an unanswered call).
        var tool = asked["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]!.ToJsonString()).ToList();
        Assert.Equal(3, tool.Count);
        Assert.Contains("lexer text", tool[0]);
        Assert.All(tool.Skip(1), t => Assert.Contains("did not finish", t));
    }

    [Fact]
    public async Task Compact_AModelThatWritesNothing_IsAConflict_AndNothingIsStored()
    {
        StoreToolWork();
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("  "));

        var error = await Assert.ThrowsAsync<RpcCallException>(() => CompactAsync());

        Assert.Equal(-33002, error.Code);
        Assert.Contains("gpt-test wrote an empty summary; nothing was compacted", error.Message);
        Assert.Equal(3, (await _world.MessagesAsync()).Count);
        Assert.Equal(3, (await _world.SessionAsync())["messageCount"]!.GetValue<int>());
    }
}
