using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Tests.Protocol;

/// <summary>Typed parts, roles and states are sent with the names the wire always had.</summary>
public sealed class MessagePartJsonTests
{
    [Fact]
    public void Message_WithEveryKindOfPart_SerializesToTheWireNames()
    {
        var message = new SessionMessage
        {
            Id = "m", SessionId = "s", Seq = 1, Role = MessageRole.Assistant, Status = MessageStatus.Complete, CreatedAt = DateTimeOffset.UnixEpoch,
            Parts =
            [
                new TextPart { Id = "1", Text = "hi" },
                new ReasoningPart { Id = "2", Text = "hmm", Signature = "sig" },
                new FilePart { Id = "3", Path = "a.md", Content = "x", Range = new LineRange(1, 2) },
                new ToolUsePart { Id = "4", ToolCallId = "c", Name = "read", Input = new JsonObject { ["path"] = "a.md" }, State = ToolState.Running },
                new ToolResultPart { Id = "5", ToolCallId = "c", Name = "read", Output = "1\tx", IsError = false },
                new StepPart { Id = "6", Usage = TokenUsage.Zero, CostUsd = 0.25m, Model = "gpt-5", LatencyMs = 7, FinishReason = "stop" },
            ],
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(message, PlueJsonContext.Default.SessionMessage))!;

        Assert.Equal("assistant", json["role"]!.GetValue<string>());
        Assert.Equal("complete", json["status"]!.GetValue<string>());
        string[] expected =
        [
            """{"id":"1","kind":"text","text":"hi"}""",
            """{"id":"2","kind":"reasoning","signature":"sig","text":"hmm"}""",
            """{"content":"x","id":"3","kind":"file","path":"a.md","range":{"endLine":2,"startLine":1}}""",
            """{"id":"4","input":{"path":"a.md"},"kind":"tool_use","name":"read","state":"running","toolCallId":"c"}""",
            """{"id":"5","isError":false,"kind":"tool_result","name":"read","output":"1\tx","toolCallId":"c"}""",
            """{"costUsd":0.25,"finishReason":"stop","id":"6","kind":"step","latencyMs":7,"model":"gpt-5","usage":{"cacheRead":0,"cacheWrite":0,"input":0,"output":0,"reasoning":0}}""",
        ];
        Assert.Equal(expected.Select(Sorted), json["parts"]!.AsArray().Select(p => Sorted(p!.ToJsonString())));
    }

    [Fact]
    public void Part_WithKindAfterItsId_ReadsAsItsKind()
    {
        var part = JsonSerializer.Deserialize("""{"id":"u","state":"error","kind":"tool_use","name":"bash"}""", PlueJsonContext.Default.MessagePart);

        var use = Assert.IsType<ToolUsePart>(part);
        Assert.Equal((PartKind.ToolUse, ToolState.Error, "bash"), (use.Kind, use.State, use.Name));
    }

    [Theory]
    [InlineData(PartKind.ToolUse, "tool_use")]
    [InlineData(PartKind.ToolResult, "tool_result")]
    [InlineData(PartKind.Reasoning, "reasoning")]
    public void PartDelta_Kind_IsTheWireName(PartKind kind, string wire)
    {
        var delta = new PartDeltaParams { SessionId = "s", MessageId = "m", PartId = "p", Kind = kind, Delta = "d" };

        Assert.Equal(wire, JsonNode.Parse(JsonSerializer.Serialize(delta, PlueJsonContext.Default.PartDeltaParams))!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void TaskStatus_WaitingApproval_KeepsItsHyphen()
    {
        Assert.Equal("\"waiting-approval\"", JsonSerializer.Serialize(AgentTaskStatus.WaitingApproval, PlueJsonContext.Default.AgentTaskStatus));
    }

    /// <summary>The object with its keys in order, so two shapes compare whatever order they were written in.</summary>
    private static string Sorted(string json) => Sort(JsonNode.Parse(json)!).ToJsonString();

    private static JsonNode Sort(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(v => v is null ? null : Sort(v))]),
        _ => node.DeepClone(),
    };
}
