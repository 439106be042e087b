using System.Text.Json.Nodes;
using Plue.Agents;
using Plue.Instances;
using Plue.Sessions;

namespace Plue.Tests.Codex.Kinds;

/// <summary>The one rule every kind's typed fields are read by (<c>FieldBinding</c>), shown on each kind.</summary>
public sealed class FieldBindingTests
{
    [Fact]
    public void EmptyText_IsAbsent_InEveryKind()
    {
        var fields = new JsonObject { ["endpoint"] = "", ["goal"] = "", ["reasoning_effort"] = "" };

        Assert.Null(ProviderRecordFields.Of(fields).Endpoint);
        Assert.Null(TaskRecordFields.Of(fields).Goal);
        Assert.Null(ChatRecordFields.Of(fields).ReasoningEffort);
    }

    public static TheoryData<JsonNode?, int?> Numbers => new()
    {
        { JsonValue.Create(7), 7 },
        { JsonValue.Create("7"), 7 },
        { JsonValue.Create(" 7 "), 7 },
        { JsonValue.Create(7.9), 7 },
        { JsonValue.Create(7m), 7 },
        { JsonValue.Create(1e12), int.MaxValue },
        { JsonNode.Parse("7"), 7 },
        { JsonValue.Create(""), null },
        { JsonValue.Create("seven"), null },
        { JsonValue.Create(true), null },
        { new JsonArray(7), null },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Number_AsNumberOrText_ReadTheSame_InEveryKind(JsonNode? value, int? expected)
    {
        Assert.Equal(expected, ProviderRecordFields.Of(new JsonObject { ["timeout_ms"] = value?.DeepClone() }).TimeoutMs);
        Assert.Equal(expected, TaskRecordFields.Of(new JsonObject { ["max_turns"] = value?.DeepClone() }).MaxTurns);
        Assert.Equal(expected, ChatRecordFields.Of(new JsonObject { ["max_output_tokens"] = value?.DeepClone() }).MaxOutputTokens);
    }

    [Fact]
    public void Decimal_KeepsItsDigits()
    {
        Assert.Equal(0.1m, TaskRecordFields.Of(new JsonObject { ["spend_cap_usd"] = "0.1" }).SpendCapUsd);
        Assert.Equal(0.1m, TaskRecordFields.Of(JsonNode.Parse("""{"spend_cap_usd": 0.1}""")!.AsObject()).SpendCapUsd);
        Assert.Equal(0.7, ProviderRecordFields.Of(new JsonObject { ["temperature"] = 0.7 }).Temperature);
    }

    [Fact]
    public void AbsentList_IsEmpty_InEveryKind()
    {
        var fields = new JsonObject { ["cli_args"] = null, ["mcp_tools"] = "read" };

        Assert.Empty(ProviderRecordFields.Of(fields).CliArgs);
        Assert.Empty(ProviderRecordFields.Of(fields).Deployments);
        Assert.Empty(TaskRecordFields.Of(fields).AvailableTools);
        Assert.Empty(TaskRecordFields.Of(fields).McpTools);
        Assert.Empty(ChatRecordFields.Of(fields).StopSequences);
    }

    [Fact]
    public void ListItems_ThatReadAsAbsent_AreLeftOut()
    {
        var fields = JsonNode.Parse("""{"available_tools": ["read", "", 3, {"a": 1}, null, ["write"], "bash"]}""")!.AsObject();

        Assert.Equal(["read", "bash"], TaskRecordFields.Of(fields).AvailableTools);
    }

    [Fact]
    public void Fallbacks_OnlyCompleteEntries_InEveryKind()
    {
        var fields = JsonNode.Parse("""
            {"fallbacks": [{"provider_ref": "env:openai", "model_id": "gpt-5"}, "junk", {"provider_ref": "env:openai"}, {"provider_ref": "", "model_id": "x"}]}
            """)!.AsObject();

        foreach (var chain in (IReadOnlyList<Plue.Protocol.ModelFallback>?[])[ProviderRecordFields.Of(fields).FallbackChain, TaskRecordFields.Of(fields).FallbackChain, ChatRecordFields.Of(fields).FallbackChain])
            Assert.Equal(("env:openai", "gpt-5"), Assert.Single(chain!) is var f ? (f.ProviderRef, f.ModelId) : default);
        Assert.Null(TaskRecordFields.Of([]).FallbackChain);
    }

    [Fact]
    public void Times_AndAliases()
    {
        var fields = new JsonObject { ["started_at"] = "2026-01-02T03:04:05.0000000Z", ["finished_at"] = "yesterday", ["provider_type"] = "ollama", ["model"] = "llama3" };

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TaskRecordFields.Of(fields).StartedAt);
        Assert.Null(TaskRecordFields.Of(fields).FinishedAt);
        Assert.Equal("ollama", ProviderRecordFields.Of(fields).ProviderId);
        Assert.Equal("llama3", ProviderRecordFields.Of(fields).ModelName);
    }
}
