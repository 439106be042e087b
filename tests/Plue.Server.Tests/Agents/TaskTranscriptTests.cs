using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Agents;
using Plue.Protocol;

namespace Plue.Tests.Agents;

/// <summary>A stored task transcript as the model is sent it: tool calls replayed, every call answered.</summary>
public sealed class TaskTranscriptTests
{
    private static SessionMessage Message(string role, string status, params MessagePart[] parts) => new()
    {
        Id = Guid.NewGuid().ToString(), SessionId = "t", Seq = 0, Role = role, Status = status, Parts = parts, CreatedAt = DateTimeOffset.UtcNow,
    };

    private static MessagePart Part(string kind, string? text = null, string? call = null, string? name = null, JsonNode? input = null, string? output = null) =>
        new() { Id = Guid.NewGuid().ToString(), Kind = kind, Text = text, ToolCallId = call, Name = name, Input = input, Output = output };

    [Fact]
    public void Build_ReplaysToolCalls_AndAnswersACallCutShortAsUnfinished()
    {
        var history = TaskTranscript.Build([
            Message("user", "complete", Part("text", "Goal: tidy up")),
            Message("assistant", "cancelled",
                Part("reasoning", "unsigned thoughts"),
                Part("text", "Reading both."),
                Part("tool_use", call: "c1", name: "read", input: new JsonObject { ["path"] = "a.md" }),
                Part("tool_use", call: "c2", name: "read", input: new JsonObject { ["path"] = "b.md", ["limit"] = 5 }),
                Part("step"),
                Part("tool_result", call: "c1", name: "read", output: "1\tA")),
            Message("assistant", "superseded", Part("text", "hidden")),
            Message("user", "complete", Part("text", "The user resumed this task.")),
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
        Assert.Equal(TaskTranscript.Unanswered, results[1].Result);
    }
}
