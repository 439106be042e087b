using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Transcripts;
using Plue.Protocol;

namespace Plue.Tests.Agents;

/// <summary>A stored task transcript as the model is sent it: tool calls replayed, every call answered.</summary>
public sealed class TaskTranscriptTests
{
    private static SessionMessage Message(MessageRole role, MessageStatus status, params MessagePart[] parts) => new()
    {
        Id = Guid.NewGuid().ToString(), SessionId = "t", Seq = 0, Role = role, Status = status, Parts = parts, CreatedAt = DateTimeOffset.UtcNow,
    };

    private static string NewId() => Guid.NewGuid().ToString();

    [Fact]
    public void Build_ReplaysToolCalls_AndAnswersACallCutShortAsUnfinished()
    {
        var history = ToolTranscript.Build([
            Message(MessageRole.User, MessageStatus.Complete, new TextPart { Id = NewId(), Text = "Goal: tidy up" }),
            Message(MessageRole.Assistant, MessageStatus.Cancelled,
                new ReasoningPart { Id = NewId(), Text = "unsigned thoughts" },
                new TextPart { Id = NewId(), Text = "Reading both." },
                new ToolUsePart { Id = NewId(), ToolCallId = "c1", Name = "read", Input = new JsonObject { ["path"] = "a.md" } },
                new ToolUsePart { Id = NewId(), ToolCallId = "c2", Name = "read", Input = new JsonObject { ["path"] = "b.md", ["limit"] = 5 } },
                new StepPart { Id = NewId() },
                new ToolResultPart { Id = NewId(), ToolCallId = "c1", Name = "read", Output = "1\tA" }),
            Message(MessageRole.Assistant, MessageStatus.Superseded, new TextPart { Id = NewId(), Text = "hidden" }),
            Message(MessageRole.User, MessageStatus.Complete, new TextPart { Id = NewId(), Text = "The user resumed this task." }),
        ]);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User], history.Select(m => m.Role));
        var assistant = history[1];
        Assert.Equal("Reading both.", assistant.Text); // reasoning without its signature is not sent back
        var calls = assistant.Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["c1", "c2"], calls.Select(c => c.CallId));
        Assert.Equal(5, ((JsonElement)calls[1].Arguments!["limit"]!).GetInt32());
        var results = history[2].Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["c1", "c2"], results.Select(r => r.CallId));
        Assert.Equal("1\tA", results[0].Result);
        Assert.Equal(ToolTranscript.Unanswered, results[1].Result);
    }
}
