using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Providers;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>
/// The CLI's stream-json lines of whole turns (tests/fixtures/claude-code, in the shapes claude 2.1 writes) folded by
/// the mapper alone: which lines give text, reasoning, tool traffic and the closing usage and cost, and which give nothing.
/// </summary>
public sealed class ClaudeCodeStreamMapperTests
{
    private const string Conversation = "chat-1";

    [Fact]
    public void Map_StreamedTurn_TakesDeltasFromEventsAndToolTrafficFromCompletedLines()
    {
        var (updates, final) = Fold("streamed-turn.jsonl", turnCost: 0.0213);

        Assert.Equal(["Reading ", "it now.", "It uses make."], updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));
        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal("The user wants the file read.", string.Concat(reasoning.Select(r => r.Text)));
        Assert.Equal("EqQBCkYIBxgCKkA", Assert.Single(reasoning, r => r.ProtectedData is not null).ProtectedData);

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("toolu_01R", "Read"), (call.CallId, call.Name));
        Assert.True(call.InformationalOnly);
        Assert.Equal("/tmp/ws/notes.txt", ((JsonElement)call.Arguments!["file_path"]!).GetString());
        var result = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>());
        Assert.Equal("toolu_01R", result.CallId);
        Assert.Equal("     1\tThe build uses make.\n", result.Result);
        Assert.Equal(ChatRole.Tool, updates.Single(u => u.Contents.Contains(result)).Role);

        Assert.All(updates, u => Assert.Equal(Conversation, u.ConversationId));
        Assert.All(updates, u => Assert.Equal("claude-sonnet-4-5", u.ModelId));
        Assert.Equal("msg_01B", updates.Last(u => u.Contents.OfType<TextContent>().Any()).MessageId);

        Assert.Equal(ChatFinishReason.Stop, final.FinishReason);
        var usage = Assert.Single(final.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(2535, usage.InputTokenCount);
        Assert.Equal(46, usage.OutputTokenCount);
        Assert.Equal(2581, usage.TotalTokenCount);
        Assert.Equal(2400, usage.CachedInputTokenCount);
        Assert.Equal(120L, usage.AdditionalCounts![ProviderUsage.CacheWrite]);
        Assert.Equal(0.0213, final.AdditionalProperties![ClaudeCodeStreamMapper.CostKey]);
        Assert.Equal(0.0213, final.AdditionalProperties[ClaudeCodeStreamMapper.TotalCostKey]);
        Assert.Equal("5f1c2d7e-9a41-4a55-8f43-0c7a1e2b9d10", final.AdditionalProperties[ClaudeCodeStreamMapper.CliSessionKey]);
    }

    [Fact]
    public void Map_UnstreamedTurnWithASubAgent_TakesTheAnswerFromCompletedBlocksAndLeavesTheSubAgentsTextOut()
    {
        var (updates, final) = Fold("unstreamed-turn.jsonl", turnCost: 0.25);

        Assert.Equal(["Checking two things.", "Two folders."], updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));
        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal(2, reasoning.Count);
        Assert.Equal("Plan first.", reasoning[0].Text);
        Assert.Equal("sig-plan", reasoning[0].ProtectedData);
        Assert.Equal("", reasoning[1].Text);
        Assert.Equal("EmwKAhgBEgy3va3pzix", reasoning[1].ProtectedData);

        // The sub-agent's tool traffic is shown (informational); its words are not the answer.
        Assert.Equal(["Task", "Glob"], updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Select(c => c.Name));
        var results = updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal(["toolu_sub_glob", "toolu_02T", "toolu_02X"], results.Select(r => r.CallId));
        Assert.Equal("tests/node\ntests/e2e", results[0].Result);
        var mixed = Assert.IsType<JsonElement>(results[1].Result);
        Assert.Equal(2, mixed.GetArrayLength());
        Assert.Null(results[1].AdditionalProperties);
        Assert.Equal(true, results[2].AdditionalProperties!["isError"]);
        Assert.Equal("Permission to use Bash has been denied.", results[2].Result);

        Assert.Equal("claude-opus-4-1", updates[0].ModelId);
        Assert.Equal(ChatFinishReason.Length, final.FinishReason);
        var usage = Assert.Single(final.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(78, usage.InputTokenCount);
        Assert.Equal(66, usage.OutputTokenCount);
        Assert.Equal(0, usage.CachedInputTokenCount);
        Assert.Equal(0.25, final.AdditionalProperties![ClaudeCodeStreamMapper.CostKey]);
    }

    [Theory]
    [InlineData("""{"type":"keep_alive"}""")]
    [InlineData("""{"type":"system","subtype":"api_retry","attempt":2}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"assistant","message":{"id":"m","content":"not a list"},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"user","message":{"role":"user","content":"a plain user message"}}""")]
    [InlineData("""{"type":"user"}""")]
    [InlineData("""{"no_type":true}""")]
    public void Map_LinesWithNothingForTheAnswer_GiveNoUpdate(string line)
    {
        var mapper = new ClaudeCodeStreamMapper(Conversation);

        Assert.Empty(mapper.Map(Parse(line)));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("something_new", "something_new")]
    public void Complete_StopReason_IsTheFinishReason(string stopReason, string expected)
    {
        var final = new ClaudeCodeStreamMapper(Conversation).Complete(Parse($$"""{"type":"result","subtype":"success","is_error":false,"stop_reason":"{{stopReason}}"}"""), 0);

        Assert.Equal(expected, final.FinishReason?.Value);
    }

    [Fact]
    public void Complete_ResultWithoutUsageCostOrSession_HasTheTurnCostOnly()
    {
        var result = Parse("""{"type":"result","subtype":"success","is_error":false}""");

        var final = new ClaudeCodeStreamMapper(Conversation).Complete(result, 0.1);

        Assert.Null(final.FinishReason);
        Assert.Empty(final.Contents);
        Assert.Equal([ClaudeCodeStreamMapper.CostKey], final.AdditionalProperties!.Keys);
        Assert.Equal(0, ClaudeCodeStreamMapper.TotalCostOf(result));
    }

    [Theory]
    [InlineData("""{"subtype":"error_max_turns","num_turns":7}""", "maximum number of turns (7)", "error_max_turns", null)]
    [InlineData("""{"subtype":"error_max_turns"}""", "maximum number of turns (?)", "error_max_turns", null)]
    [InlineData("""{"subtype":"error_max_budget_usd"}""", "reached its spending limit", "error_max_budget_usd", null)]
    [InlineData("""{"subtype":"success","api_error_status":401,"result":"Invalid API key · Fix external API key"}""", "(HTTP 401): the API key or login is not valid. Invalid API key", "success", 401)]
    [InlineData("""{"subtype":"success","api_error_status":403}""", "(HTTP 403): the API key or login is not valid.", "success", 403)]
    [InlineData("""{"subtype":"success","result":"Not logged in · Please run /login"}""", "is not logged in: run `claude` and /login", "success", null)]
    [InlineData("""{"subtype":"success","api_error_status":529,"result":"API Error: Overloaded"}""", "Claude Code failed (HTTP 529): API Error: Overloaded", "success", 529)]
    [InlineData("""{"subtype":"error_during_execution","errors":["tool crashed",{"code":7}]}""", "Claude Code failed: tool crashed; {\"code\":7}", "error_during_execution", null)]
    [InlineData("""{"subtype":"error_during_execution"}""", "Claude Code failed: error_during_execution", "error_during_execution", null)]
    [InlineData("""{}""", "Claude Code failed: unknown error", null, null)]
    public void Complete_ErrorResult_IsAClearClaudeCodeException(string fields, string expected, string? subtype, int? status)
    {
        var result = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fields)!;
        result["type"] = Parse("\"result\"");
        result["is_error"] = Parse("true");

        var error = Assert.Throws<ClaudeCodeException>(() => new ClaudeCodeStreamMapper(Conversation).Complete(JsonSerializer.SerializeToElement(result), 0));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(subtype, error.ResultSubtype);
        Assert.Equal(status, error.ApiErrorStatus);
    }

    private static (List<ChatResponseUpdate> Updates, ChatResponseUpdate Final) Fold(string fixture, double turnCost)
    {
        var mapper = new ClaudeCodeStreamMapper(Conversation);
        var updates = new List<ChatResponseUpdate>();
        ChatResponseUpdate? final = null;
        foreach (var text in File.ReadLines(RepoPaths.Fixtures("claude-code", fixture)))
        {
            var line = Parse(text);
            if (line.GetProperty("type").GetString() == "result") final = mapper.Complete(line, turnCost);
            else updates.AddRange(mapper.Map(line));
        }
        return (updates, final ?? throw new InvalidOperationException($"{fixture} has no result line"));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
