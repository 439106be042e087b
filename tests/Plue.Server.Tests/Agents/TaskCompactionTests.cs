using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// A task compacts as a chat does when its next call would pass its share of the window, and an orchestrator's
/// sub-tasks survive it: the request after the summary still names each one and carries what it answered. As a chat's,
/// a summary that fails leaves the conversation whole and the task goes on; and a chat's tool round past its window
/// compacts between its calls as a task's does (the turn engine compacts both, before any model call).
/// </summary>
public sealed class TaskCompactionTests : IAsyncLifetime
{
    private AgentWorld _world = null!;
    private string _smallRef = "";
    private string _smallId = "";

    public async Task InitializeAsync()
    {
        _world = await AgentWorld.StartAsync();
        // A server of 32K tokens (85% of it: 27,852): a call that reports 30,000 prompt tokens makes the next one compact first.
        var small = (await _world.Client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Small window", ["catalogProviderId"] = "openai", ["endpoint"] = _world.Fake.Endpoint, ["apiKey"] = "loopback-small-window-key",
            ["contextWindow"] = 32768, ["defaultModel"] = Cheap, ["retry"] = new JsonObject { ["maxAttempts"] = 1 },
        }))!;
        _smallRef = small["ref"]!.GetValue<string>();
        _smallId = small["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task AnOrchestratorPastItsWindow_CompactsOnce_AndTheNextRequestCarriesItsGoalAndItsSubTasksAndTheirResults()
    {
        const string Goal = "ORCH-LONG: find the word and report it";
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "notes");
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(1_000, 10, ("call_s", "spawn_task", Args(("template", "task-code-writer"), ("title", "Word finder"),
                ("goal", "Find the word"), ("provider_ref", _smallRef), ("model_id", Cheap)))),
            FakeOpenAIServer.Final("CHILD-WORD-42"), // the sub-task's answer
            FakeOpenAIServer.ToolCalls(30_000, 10, ("call_r", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("SUMMARY-NOTES: delegated the word search, then read the notes."), // the summary's call
            FakeOpenAIServer.Final("The word is CHILD-WORD-42."));

        var started = (await _world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task-orchestrator", ["prompt"] = Goal, ["providerRef"] = _smallRef, ["modelId"] = Cheap,
            ["fields"] = new JsonObject { ["max_spawned_tasks"] = 1, ["child_templates"] = new JsonArray("task-code-writer") },
        }))!;
        var done = await _world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var calls = _world.Fake.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, calls.Count);
        var after = calls[4].Json["messages"]!.AsArray();
        var summary = after.First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.Contains("SUMMARY-NOTES", summary); // the compacted request, not the whole history
        Assert.Contains(Goal, summary);
        Assert.Contains("- Word finder (completed, gpt-5-mini): CHILD-WORD-42", summary);
        Assert.DoesNotContain(after, m => m!["role"]!.GetValue<string>() == "tool" && m["tool_call_id"]!.GetValue<string>() == "call_s");
        var messages = await _world.MessagesAsync(started["id"]!.GetValue<string>());
        Assert.Single(messages, m => m!["parts"]!.AsArray().Any(p => p!["kind"]!.GetValue<string>() == "summary"));
    }

    [Fact]
    public async Task ATaskWhoseSummaryFails_GoesOnWithTheWholeConversation_AndCompletes()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "NOTES-BODY-7");
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(30_000, 10, ("call_r", "read", Args(("path", "notes.md")))),
            FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("This request cannot be summarised", "invalid_request_error")), // the summary's call
            FakeOpenAIServer.Final("The notes say NOTES-BODY-7."));

        var started = (await _world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task-orchestrator", ["prompt"] = "WHOLE-1: read the notes and report them", ["providerRef"] = _smallRef, ["modelId"] = Cheap,
        }))!;
        var done = await _world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("The notes say NOTES-BODY-7.", done["result"]!.GetValue<string>());
        var calls = _world.Fake.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, calls.Count); // the turn's, the failed summary's, then the turn's again with the whole conversation
        var after = calls[2].Json["messages"]!.AsArray();
        Assert.Contains(after, m => m!["role"]!.GetValue<string>() == "tool" && m["tool_call_id"]!.GetValue<string>() == "call_r");
        Assert.Contains("WHOLE-1", after.ToJsonString());
        var messages = await _world.MessagesAsync(started["id"]!.GetValue<string>());
        Assert.DoesNotContain(messages, m => m!["parts"]!.AsArray().Any(p => p!["kind"]!.GetValue<string>() == "summary"));
    }

    [Fact]
    public async Task AChatsToolRoundPastItsWindow_CompactsBetweenItsCalls_AndTheNextCallCarriesTheSummaryAndTheToolResult()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "CHAT-NOTES-9");
        var chat = (await _world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = _smallId, ["modelId"] = Cheap, ["title"] = "Long round" }))!;
        var id = chat["id"]!.GetValue<string>();
        var record = (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await _world.Client.CallAsync("codex/update", new JsonObject
        {
            ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["mode"] = null, ["available_tools"] = new JsonArray("read") },
        });
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(30_000, 10, ("call_r", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("SUMMARY-CHAT: the user asked for the notes; read them."), // the summary's call
            FakeOpenAIServer.Final("The notes say CHAT-NOTES-9."));

        var answer = (await _world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = id, ["text"] = "CHAT-LONG: what do the notes say?" }))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        var calls = _world.Fake.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, calls.Count); // the turn's first call, the summary's, then the turn's next call on the summary
        var after = calls[2].Json["messages"]!.AsArray();
        var summary = after.First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.Contains("SUMMARY-CHAT", summary);
        Assert.Contains("CHAT-LONG", summary); // the goal, verbatim
        Assert.Contains("CHAT-NOTES-9", summary); // the tool result not yet acted on, verbatim
        var messages = await _world.Client.CallAsync("session/messages", new JsonObject { ["id"] = id });
        Assert.Single(messages!["messages"]!.AsArray(), m => m!["parts"]!.AsArray().Any(p => p!["kind"]!.GetValue<string>() == "summary"));
    }
}
