using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>The real claude CLI against the fake Anthropic server: what it sends, and how its output folds into updates.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeChatClientTests
{
    [Fact]
    public async Task Stream_TextAndThinking_FoldsIntoUpdatesWithUsageAndCost()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(new ScriptedReply().WithThinking("Let me think about it.", "sig-abc123").WithText("Hello from the fake model.").WithUsage(20, 9, cacheRead: 5));

        var updates = await world.AskAsync("Say hello, please", ClaudeWorld.Options("text"));

        Assert.Equal("Hello from the fake model.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal("Let me think about it.", string.Concat(reasoning.Select(r => r.Text)));
        Assert.Contains(reasoning, r => r.ProtectedData == "sig-abc123");
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(25, usage.InputTokenCount);
        Assert.Equal(5, usage.CachedInputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.True((double)last.AdditionalProperties![ClaudeCodeStreamMapper.CostKey]! > 0);
        Assert.All(updates, u => Assert.Equal("text", u.ConversationId));

        var request = Assert.Single(world.Fake.StreamingMessages);
        Assert.Equal(ClaudeWorld.ApiKey, request.Header("x-api-key"));
        Assert.Equal(ClaudeWorld.Model, (string?)request.Json?["model"]);
        Assert.Contains("Say hello, please", request.LastMessage!.ToJsonString());
    }

    [Fact]
    public async Task Spawn_Argv_HoldsNoSecretAndNoPrompt()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(ScriptedReply.Text("fine"));
        var options = ClaudeWorld.Options("argv");
        options.Instructions = "You are a SYSTEM-PROMPT-MARKER assistant.";

        await world.AskAsync("PROMPT-MARKER what is up", options);

        var pid = world.Session("argv").ProcessId ?? throw new InvalidOperationException("the CLI is not running");
        var argv = ClaudeWorld.CommandLine(pid);
        Assert.Contains("--input-format stream-json", argv);
        Assert.Contains("--permission-prompt-tool stdio", argv);
        Assert.DoesNotContain("SECRET", argv);
        Assert.DoesNotContain("PROMPT-MARKER", argv);
        Assert.DoesNotContain("SYSTEM-PROMPT-MARKER", argv);
        Assert.Contains("SYSTEM-PROMPT-MARKER", world.Fake.StreamingMessages[0].Json!["system"]!.ToJsonString());
        Assert.Contains("ANTHROPIC_API_KEY=" + ClaudeWorld.ApiKey, File.ReadAllText($"/proc/{pid}/environ").Split('\0'));
    }

    [Fact]
    public async Task ToolUse_Allowed_RunsTheToolAndSendsItsResult()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(
            ScriptedReply.ToolUse("toolu_allow", "Bash", new JsonObject { ["command"] = "touch made-by-claude.txt", ["description"] = "Create a file" }, "I'll create it."),
            ScriptedReply.Text("Created."));

        var updates = await world.AskAsync("create a file", ClaudeWorld.Options("allow"));

        var approval = Assert.Single(world.Approvals);
        Assert.Equal("Bash", approval.Tool);
        Assert.Equal("allow", approval.SessionId);
        Assert.Equal("touch made-by-claude.txt", approval.Input.GetProperty("command").GetString());
        Assert.True(File.Exists(Path.Combine(world.Workspace, "made-by-claude.txt")));
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("toolu_allow", "Bash", true), (call.CallId, call.Name, call.InformationalOnly));
        Assert.Equal("toolu_allow", Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>()).CallId);
        Assert.EndsWith("Created.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));

        var followUp = world.Fake.StreamingMessages[1].LastMessage!;
        var result = followUp["content"]!.AsArray().Single(b => (string?)b!["type"] == "tool_result")!;
        Assert.Equal("toolu_allow", (string?)result["tool_use_id"]);
        Assert.NotEqual(true, (bool?)result["is_error"]);
    }

    [Fact]
    public async Task ToolUse_Denied_SendsTheDenialToTheModel()
    {
        await using var world = new ClaudeWorld();
        world.Decide = _ => ToolApprovalDecision.Deny("Not in this repository, thanks.");
        world.Fake.Enqueue(
            ScriptedReply.ToolUse("toolu_deny", "Bash", new JsonObject { ["command"] = "touch denied.txt", ["description"] = "Create a file" }),
            ScriptedReply.Text("Understood."));

        var updates = await world.AskAsync("create a file", ClaudeWorld.Options("deny"));

        Assert.Single(world.Approvals);
        Assert.False(File.Exists(Path.Combine(world.Workspace, "denied.txt")));
        var followUp = world.Fake.StreamingMessages[1].LastMessage!;
        var result = followUp["content"]!.AsArray().Single(b => (string?)b!["type"] == "tool_result")!;
        Assert.Equal("toolu_deny", (string?)result["tool_use_id"]);
        Assert.True((bool?)result["is_error"]);
        Assert.Contains("Not in this repository, thanks.", result["content"]!.ToJsonString());
        var toolResult = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>());
        Assert.Equal(true, toolResult.AdditionalProperties?["isError"]);
        // Refused, not failed: the transcript shows it denied.
        Assert.Equal(true, toolResult.AdditionalProperties?[ClaudeCodeStreamMapper.DeniedKey]);
    }

    [Fact]
    public async Task ToolUse_AllowAlways_AsksOncePerSession()
    {
        await using var world = new ClaudeWorld();
        world.Decide = _ => new ToolApprovalDecision(ToolApprovalBehavior.AllowAlways);
        world.Fake.Enqueue(
            ScriptedReply.ToolUse("toolu_a", "Bash", new JsonObject { ["command"] = "touch a.txt", ["description"] = "a" }),
            ScriptedReply.ToolUse("toolu_b", "Bash", new JsonObject { ["command"] = "touch b.txt", ["description"] = "b" }),
            ScriptedReply.Text("Both."));

        await world.AskAsync("make two files", ClaudeWorld.Options("always"));

        Assert.Single(world.Approvals);
        Assert.True(File.Exists(Path.Combine(world.Workspace, "a.txt")));
        Assert.True(File.Exists(Path.Combine(world.Workspace, "b.txt")));
    }

    [Fact]
    public async Task MaxTurns_Reached_IsAClearError()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(
            ScriptedReply.ToolUse("toolu_1", "Bash", new JsonObject { ["command"] = "touch one.txt", ["description"] = "one" }),
            ScriptedReply.Text("never sent"));

        var error = await Assert.ThrowsAsync<ClaudeCodeException>(() => world.AskAsync("go", ClaudeWorld.Options("turns", maxTurns: 1)));

        Assert.Equal("error_max_turns", error.ResultSubtype);
        Assert.Contains("maximum number of turns", error.Message);
    }

    [Fact]
    public async Task BadKey_401_IsAClearErrorWithoutHanging()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Fallback = _ => ScriptedReply.Error(401, "authentication_error", "invalid x-api-key");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClaudeCodeException>(() => world.AskAsync("hello", ClaudeWorld.Options("badkey")));

        Assert.Equal(401, error.ApiErrorStatus);
        Assert.Contains("not valid", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task SecondTurn_ReusesTheProcess()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(ScriptedReply.Text("First answer."), ScriptedReply.Text("Second answer."));

        await world.AskAsync("first question", ClaudeWorld.Options("reuse"));
        var session = world.Session("reuse");
        var pid = session.ProcessId;
        var second = await world.AskAsync("second question", ClaudeWorld.Options("reuse"));

        Assert.NotNull(pid);
        Assert.Equal(pid, session.ProcessId);
        Assert.Equal([pid!.Value], world.Starts);
        Assert.Equal("Second answer.", string.Concat(second.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        var messages = world.Fake.StreamingMessages[1].Json!["messages"]!.AsArray();
        Assert.Equal(3, messages.Count);
        Assert.Contains("First answer.", messages[1]!.ToJsonString());
        Assert.Contains("second question", messages[2]!.ToJsonString());
    }
}
