using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents;
using Plue.Protocol;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;
using static Plue.Tests.Support.Polling;

namespace Plue.Tests.Agents;

/// <summary>One task's loop over the real sidecar: approvals, the spend cap and resume, steering, limits, failures, recovery.</summary>
public sealed class TaskLoopTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await AgentWorld.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "The build uses make.");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static FakeResponse Read(string id, int prompt = 100_000, int completion = 10_000) =>
        FakeOpenAIServer.ToolCalls(prompt, completion, (id, "read", Args(("path", "notes.md"))));

    private async Task<JsonObject> RunAsync(string template, string goal, string model, JsonObject? fields = null)
    {
        var id = (await _world.StartTaskAsync(template, goal, model, fields))["id"]!.GetValue<string>();
        return await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");
    }

    [Fact]
    public async Task AgentsMd_ReachesTheTasksSystemPrompt()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "AGENTS.md"), "Run the linter before you finish.\n");
        _world.Fake.Script("RULES-1", FakeOpenAIServer.Final("Tidied."));

        var done = await RunAsync("task-code-writer", "RULES-1: tidy the parser", Cheap);

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var system = string.Concat(_world.Fake.RequestsOf("RULES-1")[0].Json["messages"]!.AsArray()
            .Where(m => m!["role"]!.GetValue<string>() is "system" or "developer").Select(m => m!["content"]!.ToJsonString()));
        Assert.Contains("Run the linter before you finish.", system, StringComparison.Ordinal);
        Assert.Contains("AGENTS.md", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteDenied_TheFileIsAbsent_AndTheModelIsToldWhy()
    {
        _world.Fake.Script("DENY-1",
            FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", Args(("path", "secret.txt"), ("content", "s3cret")))),
            FakeOpenAIServer.Final("The user refused the write; nothing was written."));
        _world.Decide = _ => new JsonObject { ["decision"] = "deny", ["message"] = "Not this file, please" };

        var done = await RunAsync("task-code-writer", "DENY-1: write secret.txt", Cheap);

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "secret.txt")));
        var asked = Assert.Single(_world.Approvals);
        Assert.Equal(("write", done["id"]!.GetValue<string>()), (asked["tool"]!.GetValue<string>(), asked["taskId"]!.GetValue<string>()));
        var told = _world.Fake.RequestsOf("DENY-1")[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_w", told["tool_call_id"]!.GetValue<string>());
        Assert.Contains("Not this file, please", told["content"]!.GetValue<string>());
        // While the user was asked, the task showed waiting-approval with what it waited for.
        var waiting = _world.Updates(done["id"]!.GetValue<string>()).First(u => u["status"]!.GetValue<string>() == "waiting-approval");
        Assert.Equal("write", waiting["pendingApproval"]!["tool"]!.GetValue<string>());
        var stored = (await _world.MessagesAsync(done["id"]!.GetValue<string>()))[1]!["parts"]!.AsArray();
        // Refused, not failed: the transcript says which.
        Assert.Equal("denied", stored.Single(p => p!["kind"]!.GetValue<string>() == "tool_use")!["state"]!.GetValue<string>());
        Assert.True(stored.Single(p => p!["kind"]!.GetValue<string>() == "tool_result")!["isError"]!.GetValue<bool>());
    }

    [Fact]
    public async Task McpTools_Granted_AreOfferedToTheModel_AndRunAfterApproval()
    {
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "Fixture", ["slug"] = "fixture",
            ["fields"] = new JsonObject
            {
                ["command"] = "node", ["args"] = new JsonArray(Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Tools", "Fixtures", "mcp-fixture-server.js")),
            },
        });
        _world.Fake.Script("MCP-1",
            FakeOpenAIServer.ToolCalls(100, 10, ("call_e", "mcp__fixture__echo", Args(("text", "round trip")))),
            FakeOpenAIServer.Final("The server echoed."));

        var done = await RunAsync("task", "MCP-1: echo through MCP", Cheap, new JsonObject { ["mcp_tools"] = new JsonArray("mcp__fixture") });

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var offered = _world.Fake.RequestsOf("MCP-1")[0].Json["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("mcp__fixture__echo", offered);
        Assert.Contains("read", offered);
        var asked = Assert.Single(_world.Approvals);
        Assert.Equal(("mcp__fixture__echo", done["id"]!.GetValue<string>()), (asked["tool"]!.GetValue<string>(), asked["taskId"]!.GetValue<string>()));
        var result = _world.Fake.RequestsOf("MCP-1")[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("round trip", result["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task SpendCap_Reached_PausesBeforeTheNextCall_ThenResumeWithAHigherCapCompletes()
    {
        // Each turn on gpt-5 costs 100k × $1.25 + 10k × $10 per 1M = $0.225; the cap of $0.30 is passed after two.
        _world.Fake.Script("CAP-1", Read("call_1"), Read("call_2"), FakeOpenAIServer.Final("Read it twice.", 100_000, 10_000));
        // The user leaves the sidecar's question about the cap unanswered (the client fails it): the task stays paused.
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? throw new InvalidOperationException("no answer") : Allow();

        var paused = await RunAsync("task", "CAP-1: read notes.md", Strong, new JsonObject { ["spend_cap_usd"] = 0.3 });

        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Contains("Spend cap reached: $0.45 of $0.30", paused["statusReason"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.RequestsOf("CAP-1").Count); // no third call was made
        var id = paused["id"]!.GetValue<string>();
        var low = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = id }));
        Assert.Contains("higher spendCapUsd", low.Message);
        var below = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = id, ["spendCapUsd"] = 0.4 }));
        Assert.Contains("more than the $0.45", below.Message);

        var since = _world.Client.Notifications.Count;
        var resumed = (await _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = id, ["spendCapUsd"] = 1 }))!;
        Assert.Equal(1m, resumed["spendCapUsd"]!.GetValue<decimal>());
        var running = await _world.WaitForStatusAsync(id, since, "running");
        Assert.Null(running["statusReason"]); // the cap's reason is gone once it runs again
        Assert.Null(running["finishedAt"]);
        // Not "paused" among those awaited: the store watcher may still tell the pause, late, after `since`.
        var done = await _world.WaitForStatusAsync(id, since, "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("Read it twice.", done["result"]!.GetValue<string>());
        Assert.Equal(0.675m, done["totalCostUsd"]!.GetValue<decimal>());
        Assert.Contains("The user resumed this task", _world.Fake.RequestsOf("CAP-1")[2].Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task SpendCap_Reached_AsksTheUser_WhoRaisesIt_AndTheTaskGoesOnToComplete()
    {
        _world.Fake.Script("CAP-2", Read("call_1"), Read("call_2"), FakeOpenAIServer.Final("Done within the new cap.", 100_000, 10_000));
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? new JsonObject { ["decision"] = "allow", ["message"] = "$1.50" } : Allow();

        var id = (await _world.StartTaskAsync("task", "CAP-2: read notes.md", Strong, new JsonObject { ["spend_cap_usd"] = 0.3 }))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        var question = Assert.Single(_world.Approvals, a => a["tool"]!.GetValue<string>() == "spend_cap");
        Assert.Equal((id, 0.45m, 0.3m), (question["taskId"]!.GetValue<string>(), question["input"]!["spentUsd"]!.GetValue<decimal>(), question["input"]!["capUsd"]!.GetValue<decimal>()));
        Assert.Contains("Spend cap reached", question["reason"]!.GetValue<string>());
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1.5m, done["spendCapUsd"]!.GetValue<decimal>());
        Assert.Equal(3, _world.Fake.RequestsOf("CAP-2").Count);
    }

    [Fact]
    public async Task SpendCap_Reached_TheUserStopsIt_TheTaskIsCancelledWithoutAnotherCall()
    {
        _world.Fake.Script("CAP-3", Read("call_1"), Read("call_2"), FakeOpenAIServer.Final("never sent", 100_000, 10_000));
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? new JsonObject { ["decision"] = "deny" } : Allow();

        var id = (await _world.StartTaskAsync("task", "CAP-3: read notes.md", Strong, new JsonObject { ["spend_cap_usd"] = 0.3 }))["id"]!.GetValue<string>();
        var stopped = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        Assert.Equal(("cancelled", "Stopped at its spend cap"), (stopped["status"]!.GetValue<string>(), stopped["statusReason"]!.GetValue<string>()));
        Assert.Equal(2, _world.Fake.RequestsOf("CAP-3").Count);
        Assert.Equal(0.45m, stopped["totalCostUsd"]!.GetValue<decimal>());
    }

    private static JsonObject Allow() => new() { ["decision"] = "allow" };

    [Fact]
    public async Task Steer_WhileTheModelAnswers_IsReadOnTheNextTurn_BeforeTheTaskEnds()
    {
        var slow = FakeOpenAIServer.Sse([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("First "), FakeOpenAIServer.Content("answer."),
            FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Usage(100, 10), FakeOpenAIServer.Done()]);
        slow = slow with { Steps = [slow.Steps[0], slow.Steps[1], .. slow.Steps.Skip(2).Select((s, i) => i == 0 ? s with { Delay = TimeSpan.FromSeconds(2) } : s)] };
        _world.Fake.Script("STEER-1", slow, FakeOpenAIServer.Final("Answer with the user's remark."));

        var id = (await _world.StartTaskAsync("task", "STEER-1: answer", Cheap))["id"]!.GetValue<string>();
        await _world.Client.WaitForAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["sessionId"]!.GetValue<string>() == id);
        await _world.Client.CallAsync("task/steer", new JsonObject { ["id"] = id, ["text"] = "Mind the tabs." });
        var done = await _world.WaitForStatusAsync(id, "completed", "failed");

        Assert.Equal("Answer with the user's remark.", done["result"]!.GetValue<string>());
        var messages = _world.Fake.RequestsOf("STEER-1")[1].Json["messages"]!.AsArray();
        Assert.Equal("user", messages[^1]!["role"]!.GetValue<string>());
        Assert.Contains("Mind the tabs.", messages[^1]!["content"]!.ToJsonString());
        Assert.Contains("First answer.", messages.ToJsonString());
        var notRunning = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/steer", new JsonObject { ["id"] = id, ["text"] = "late" }));
        Assert.Contains("not running", notRunning.Message);
    }

    [Fact]
    public async Task Steer_ThenInterruptedBeforeTheNextTurn_IsStoredAndSentWhenResumed()
    {
        var slow = FakeOpenAIServer.Sse([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("First "), FakeOpenAIServer.Content("answer."),
            FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Usage(100, 10), FakeOpenAIServer.Done()]);
        slow = slow with { Steps = [slow.Steps[0], slow.Steps[1], .. slow.Steps.Skip(2).Select((s, i) => i == 0 ? s with { Delay = TimeSpan.FromSeconds(60) } : s)] };
        _world.Fake.Script("STEER-2", slow, FakeOpenAIServer.Final("Done, tabs minded."));

        var id = (await _world.StartTaskAsync("task", "STEER-2: answer", Cheap))["id"]!.GetValue<string>();
        await _world.Client.WaitForAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["sessionId"]!.GetValue<string>() == id);
        await _world.Client.CallAsync("task/steer", new JsonObject { ["id"] = id, ["text"] = "Mind the tabs." });
        await _world.Client.CallAsync("task/interrupt", new JsonObject { ["id"] = id });
        Assert.Equal("cancelled", (await _world.WaitForStatusAsync(id, "cancelled", "completed", "failed"))["status"]!.GetValue<string>());

        // Stored when typed: the interrupted run never read it, and it is still there.
        Assert.Contains((await _world.MessagesAsync(id)).Where(m => m!["role"]!.GetValue<string>() == "user"), m => m!.ToJsonString().Contains("Mind the tabs."));
        await _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = id });
        var done = await _world.WaitForStatusAsync(id, "completed", "failed");

        Assert.Equal("Done, tabs minded.", done["result"]!.GetValue<string>());
        Assert.Contains("Mind the tabs.", _world.Fake.RequestsOf("STEER-2")[1].Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task MaxTurns_Reached_FailsWithAClearReason()
    {
        _world.Fake.Script("TURNS-1", Read("call_1", 10, 1), Read("call_2", 10, 1), Read("call_3", 10, 1));

        var done = await RunAsync("task", "TURNS-1: read forever", Cheap, new JsonObject { ["max_turns"] = 2 });

        Assert.Equal("failed", done["status"]!.GetValue<string>());
        Assert.Contains("limit of 2 model turns", done["statusReason"]!.GetValue<string>());
        Assert.Equal(2, done["turns"]!.GetValue<int>());
        Assert.Equal(2, _world.Fake.RequestsOf("TURNS-1").Count);
    }

    [Fact]
    public async Task ProviderError_FailsTheTask_WithTheErrorAndNoKey_KeepingTheTranscript()
    {
        _world.Fake.Script("ERR-1", Read("call_1", 10, 1), FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key")));

        var done = await RunAsync("task", "ERR-1: read then fail", Cheap);

        Assert.Equal("failed", done["status"]!.GetValue<string>());
        var reason = done["statusReason"]!.GetValue<string>();
        Assert.Contains("key", reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, reason);
        var transcript = await _world.MessagesAsync(done["id"]!.GetValue<string>());
        Assert.Equal(["user", "assistant", "assistant"], transcript.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("The build uses make.", transcript[1]!.ToJsonString()); // the tool result of the first turn is kept
        Assert.Equal("error", transcript[2]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPrice_CostIsNull_NotZero()
    {
        _world.Fake.Script("PRICE-1", FakeOpenAIServer.Final("Done.", 100, 10));

        var id = (await _world.StartTaskAsync("task", "PRICE-1: answer", "model-without-a-price", allowUnlisted: true))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Null(done["costUsd"]);
        Assert.Null(done["totalCostUsd"]);
        Assert.Equal(100, done["usage"]!["input"]!.GetValue<long>());
    }

    [Fact]
    public async Task Start_RefusesWhatItCannotRun()
    {
        var notATask = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/start",
            new JsonObject { ["templateId"] = "ai-chat", ["prompt"] = "x", ["providerRef"] = _world.ProviderRef, ["modelId"] = Cheap }));
        Assert.Contains("not a task template", notATask.Message);
        var wider = await Assert.ThrowsAsync<RpcCallException>(() => _world.StartTaskAsync("task-orchestrator", "x", Strong,
            new JsonObject { ["available_tools"] = new JsonArray("read", "write") }));
        Assert.Contains("available_tools: is locked", wider.Message);
        var noProvider = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/start",
            new JsonObject { ["templateId"] = "task", ["prompt"] = "x", ["modelId"] = Cheap }));
        Assert.Contains("providerRef", noProvider.Message);
        var runnerField = await Assert.ThrowsAsync<RpcCallException>(() => _world.StartTaskAsync("task", "x", Cheap, new JsonObject { ["result"] = "done already" }));
        Assert.Contains("written by the runner", runnerField.Message);
        Assert.Empty((await _world.Client.CallAsync("task/list", new JsonObject()))!.AsArray()); // nothing was created
    }

    [Fact]
    public async Task Start_WithAttachedFiles_TheFirstRequestCarriesThem_AndAnImageIsRefused()
    {
        _world.Fake.Script("ATTACH-1", FakeOpenAIServer.Final("Followed the plan."));
        JsonObject Start(params JsonObject[] attachments) => new()
        {
            ["templateId"] = "task", ["prompt"] = "ATTACH-1: follow the plan", ["providerRef"] = _world.ProviderRef, ["modelId"] = Cheap,
            ["attachments"] = new JsonArray([.. attachments]),
        };
        var image = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/start",
            Start(new JsonObject { ["kind"] = "image", ["path"] = "shot.png", ["mimeType"] = "image/png", ["data"] = "iVBORw0KGgo=" })));
        Assert.Contains("shot.png is an image", image.Message);
        Assert.Empty((await _world.Client.CallAsync("task/list", new JsonObject()))!.AsArray()); // nothing was created

        var started = (await _world.Client.CallAsync("task/start", Start(
            new JsonObject { ["kind"] = "file", ["path"] = "docs/plan.md", ["content"] = "Step one: PLAN-MARKER", ["language"] = "markdown" },
            new JsonObject { ["kind"] = "selection", ["path"] = "src/a.ts", ["content"] = "const a = 1;", ["language"] = "typescript", ["range"] = new JsonObject { ["startLine"] = 3, ["endLine"] = 3 } })))!.AsObject();
        var done = await _world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("ATTACH-1: follow the plan", done["title"]!.GetValue<string>()); // the title is the goal's, not a file's
        var first = _world.Fake.RequestsOf("ATTACH-1")[0].Json["messages"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.ToJsonString();
        Assert.Contains("Attached file docs/plan.md", first);
        Assert.Contains("Step one: PLAN-MARKER", first);
        Assert.Contains("Attached selection src/a.ts:3-3", first);
    }

    [Fact]
    public async Task Recovery_ATaskLeftRunningByADeadSidecar_IsCancelledAtTheNextStart()
    {
        // The runner's own write (a caller's codex/create may not set a status or run owner), as a dead sidecar left it.
        var left = _world.Sidecar.Services.GetRequiredService<TaskRecords>().Create(new CodexDraft
        {
            TemplateId = "task", Title = "Orphan", Status = "running",
            Fields = new JsonObject { ["goal"] = "g", ["provider_ref"] = _world.ProviderRef, ["model_id"] = Cheap, ["run_owner"] = "999999:1" },
        }).Id;
        await using var next = new InProcessSidecar();
        await next.StartAsync();
        await using var client = await SidecarClient.StartAsync(next, _world.Home, _world.Workspace);

        JsonNode? task = null;
        await Eventually(async () => (task = await client.CallAsync("task/get", new JsonObject { ["id"] = left }))!["status"]!.GetValue<string>() == "cancelled",
            "the orphan is cancelled");
        Assert.Equal("The sidecar stopped while the task ran", task!["statusReason"]!.GetValue<string>());
    }
}
