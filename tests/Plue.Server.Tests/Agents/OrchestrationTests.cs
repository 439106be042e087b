using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;
using static Plue.Tests.Support.Polling;

namespace Plue.Tests.Agents;

/// <summary>
/// An orchestrator fanning out to code writers over the real sidecar: children run in parallel on their own model,
/// write real files after the client approves, roll their cost up, and can be interrupted one by one or as a tree.
/// </summary>
public sealed class OrchestrationTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>A tree whose writers work in the workspace at once, as the user may choose.</summary>
    private static JsonObject Shared => new() { ["isolation"] = "shared" };

    private static (string, string, JsonObject) Spawn(string id, string letter, string? model = Cheap) =>
        (id, "spawn_task", Args(("template", "task-code-writer"), ("title", $"Write {letter}"), ("goal", $"WRITER-{letter.ToUpperInvariant()}: write {letter}.txt"), ("model_id", model)));

    private void ScriptWriter(string letter, string content)
    {
        _world.Fake.Script($"WRITER-{letter.ToUpperInvariant()}",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_w", "write", Args(("path", $"{letter}.txt"), ("content", content)))),
            FakeOpenAIServer.Final($"Wrote {letter}.txt", 100_000, 10_000));
    }

    [Fact]
    public async Task Orchestrator_SpawnsThreeWritersInParallel_EachOnItsModel_FilesWritten_CostRollsUp()
    {
        _world.Fake.Script("ORCH-FANOUT",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, Spawn("call_a", "a"), Spawn("call_b", "b"), Spawn("call_c", "c")),
            FakeOpenAIServer.Final("All three files are written.", 100_000, 10_000));
        ScriptWriter("a", "alpha");
        ScriptWriter("b", "beta");
        ScriptWriter("c", "gamma");
        // Each writer's first answer waits until all three have asked: only parallel children get past it.
        _world.Fake.Rendezvous(TimeSpan.FromSeconds(30), "WRITER-A", "WRITER-B", "WRITER-C");

        // Shared: its writers write in the workspace itself, at once (WorktreeTasksTests has them in worktrees, or taking turns).
        var started = await _world.StartTaskAsync("task-orchestrator", "ORCH-FANOUT: have a.txt, b.txt and c.txt written", Strong, Shared);
        Assert.Equal("queued", started["status"]!.GetValue<string>()); // task/start answers at once; the run goes on in the background
        var id = started["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("All three files are written.", done["result"]!.GetValue<string>());
        Assert.Equal(["alpha", "beta", "gamma"], new[] { "a", "b", "c" }.Select(l => File.ReadAllText(Path.Combine(_world.Workspace, $"{l}.txt"))));

        // Each call used its task's own model: the orchestrator the strong one, the writers the cheap one.
        Assert.All(_world.Fake.RequestsOf("ORCH-FANOUT"), r => Assert.Equal(Strong, r.Json["model"]!.GetValue<string>()));
        foreach (var writer in new[] { "WRITER-A", "WRITER-B", "WRITER-C" })
        {
            var requests = _world.Fake.RequestsOf(writer);
            Assert.Equal(2, requests.Count);
            Assert.All(requests, r => Assert.Equal(Cheap, r.Json["model"]!.GetValue<string>()));
            Assert.Contains(requests[0].Json["tools"]!.AsArray(), t => t!["function"]!["name"]!.GetValue<string>() == "write");
        }
        // The orchestrator was offered spawn_task and not write (its template locks it out).
        var offered = _world.Fake.RequestsOf("ORCH-FANOUT")[0].Json["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("spawn_task", offered);
        Assert.DoesNotContain("write", offered);

        // Fan-in: the orchestrator's second call replays its three calls, then carries all three outcomes as tool results.
        var replayed = _world.Fake.RequestsOf("ORCH-FANOUT")[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "assistant")!["tool_calls"]!.AsArray();
        Assert.Equal(["call_a", "call_b", "call_c"], replayed.Select(c => c!["id"]!.GetValue<string>()));
        Assert.Contains("WRITER-B: write b.txt", replayed[1]!["function"]!["arguments"]!.GetValue<string>());
        var toolMessages = _world.Fake.RequestsOf("ORCH-FANOUT")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.Equal(["call_a", "call_b", "call_c"], toolMessages.Select(m => m!["tool_call_id"]!.GetValue<string>()).Order());
        Assert.All(toolMessages, m => Assert.Contains(": completed.", m!["content"]!.GetValue<string>()));
        Assert.Contains(toolMessages, m => m!["content"]!.GetValue<string>().Contains("Wrote b.txt"));

        var children = await _world.ChildrenAsync(id);
        Assert.Equal(3, children.Count);
        Assert.All(children, c =>
        {
            Assert.Equal(id, c!["parentId"]!.GetValue<string>());
            Assert.Equal(1, c["depth"]!.GetValue<int>());
            Assert.Equal("task-code-writer", c["templateId"]!.GetValue<string>());
            Assert.Equal(Cheap, c["modelId"]!.GetValue<string>());
            Assert.Equal(_world.InstanceId, c["instanceId"]!.GetValue<string>()); // inherited from the parent
            Assert.Equal("completed", c["status"]!.GetValue<string>());
            Assert.Equal(0.09m, c["costUsd"]!.GetValue<decimal>()); // 2 × (100k × $0.25 + 10k × $2) / 1M
        });
        // The user was asked for each write, with the writing task's id.
        Assert.Equal(children.Select(c => c!["id"]!.GetValue<string>()).Order(), _world.Approvals.Select(a => a["taskId"]!.GetValue<string>()).Order());
        Assert.All(_world.Approvals, a => Assert.Equal("write", a["tool"]!.GetValue<string>()));

        // Cost rolls up: own 2 × (100k × $1.25 + 10k × $10) / 1M = $0.45, plus 3 × $0.09.
        var root = await _world.TaskAsync(id);
        Assert.Equal(0.45m, root["costUsd"]!.GetValue<decimal>());
        Assert.Equal(0.72m, root["totalCostUsd"]!.GetValue<decimal>());
        Assert.Equal(800_000, root["totalUsage"]!["input"]!.GetValue<long>());
        Assert.Equal(200_000, root["usage"]!["input"]!.GetValue<long>());
        Assert.Equal(3, root["childCount"]!.GetValue<int>());
        Assert.Equal(2, root["turns"]!.GetValue<int>());
        Assert.NotNull(root["startedAt"]);
        Assert.NotNull(root["finishedAt"]);
    }

    [Fact]
    public async Task ParentSpendCap_HoldsItsRunningChildren_TheTreePauses_TheUserIsAskedOnce_AndRaisingItCompletesTheTree()
    {
        // The orchestrator's turn costs $0.225 (gpt-5, 100k in, 10k out); each writer call $0.045 (gpt-5-mini). Three writers
        // of five calls each ($0.675) would take the tree to $1.125, far past the orchestrator's $0.40 cap.
        const decimal Cap = 0.40m, WriterCall = 0.045m;
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "Write what the goal says.");
        _world.Fake.Script("ORCH-CAP",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, Spawn("call_a", "a"), Spawn("call_b", "b"), Spawn("call_c", "c")),
            FakeOpenAIServer.Final("All three files are written.", 100_000, 10_000));
        foreach (var (letter, content) in new[] { ("a", "alpha"), ("b", "beta"), ("c", "gamma") })
            _world.Fake.Script($"WRITER-{letter.ToUpperInvariant()}",
            [
                .. Enumerable.Range(1, 3).Select(i => FakeOpenAIServer.ToolCalls(100_000, 10_000, ($"call_r{i}", "read", Args(("path", "notes.md"))))),
                FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_w", "write", Args(("path", $"{letter}.txt"), ("content", content)))),
                FakeOpenAIServer.Final($"Wrote {letter}.txt", 100_000, 10_000),
            ]);
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? new JsonObject { ["decision"] = "allow", ["message"] = "$5" } : new JsonObject { ["decision"] = "allow" };

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-CAP: have a, b and c written", Strong, new JsonObject { ["spend_cap_usd"] = 0.4 }, "Capped orchestrator"))["id"]!.GetValue<string>();
        var paused = await _world.WaitForStatusAsync(id, "paused", "completed", "failed", "cancelled");

        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Contains("Spend cap reached", paused["statusReason"]!.GetValue<string>());
        // Spending stopped within the one call each running writer had in flight when the cap was reached.
        var spent = paused["totalCostUsd"]!.GetValue<decimal>();
        Assert.True(spent >= Cap && spent < Cap + 3 * WriterCall, $"spent ${spent} at the pause");
        var children = await _world.ChildrenAsync(id);
        Assert.Equal(3, children.Count);
        foreach (var child in children)
        {
            // Each writer paused naming the orchestrator, and the orchestrator read that in its spawn_task result.
            var childPause = _world.Updates(child!["id"]!.GetValue<string>()).First(u => u["status"]!.GetValue<string>() == "paused");
            Assert.StartsWith("Paused: Capped orchestrator reached its spend cap of $0.40", childPause["statusReason"]!.GetValue<string>());
        }
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var question = Assert.Single(_world.Approvals, a => a["tool"]!.GetValue<string>() == "spend_cap");
        Assert.Equal(id, question["taskId"]!.GetValue<string>());
        Assert.Equal(spent, question["input"]!["spentUsd"]!.GetValue<decimal>());
        Assert.Equal(5m, done["spendCapUsd"]!.GetValue<decimal>());
        // Raising the cap resumed the writers from where they stopped: every scripted call made once, every file written.
        Assert.Equal(["alpha", "beta", "gamma"], new[] { "a", "b", "c" }.Select(l => File.ReadAllText(Path.Combine(_world.Workspace, $"{l}.txt"))));
        foreach (var writer in new[] { "WRITER-A", "WRITER-B", "WRITER-C" }) Assert.Equal(5, _world.Fake.RequestsOf(writer).Count);
        Assert.All(await _world.ChildrenAsync(id), c => Assert.Equal("completed", c!["status"]!.GetValue<string>()));
        Assert.Equal(1.125m, done["totalCostUsd"]!.GetValue<decimal>());
        var resumedCall = _world.Fake.RequestsOf("ORCH-CAP")[1].Json["messages"]!.AsArray();
        Assert.All(resumedCall.Where(m => m!["role"]!.GetValue<string>() == "tool"), m => Assert.Contains(": paused.", m!["content"]!.GetValue<string>()));
        var note = resumedCall[^1]!["content"]!.ToJsonString();
        Assert.Contains("The user resumed this task", note);
        Assert.All(new[] { "a", "b", "c" }, l => Assert.Contains($"Wrote {l}.txt", note));
    }

    [Fact]
    public async Task ChildPausedAtItsParentsCap_CannotBeResumedAlone_ResumingTheParentWithAHigherCapResumesIt()
    {
        _world.Fake.Script("ORCH-HOLD",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, Spawn("call_h", "h")),
            FakeOpenAIServer.Final("h is written.", 100_000, 10_000));
        ScriptWriter("h", "aitch");
        // Nobody answers the question about the cap: the tree stays paused until the user resumes it.
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? throw new InvalidOperationException("no answer") : new JsonObject { ["decision"] = "allow" };

        // The orchestrator's first turn ($0.225) reaches its cap of $0.20: the writer pauses before its first call.
        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-HOLD: have h written", Strong, new JsonObject { ["spend_cap_usd"] = 0.2 }, "Holder"))["id"]!.GetValue<string>();
        var paused = await _world.WaitForStatusAsync(id, "paused", "completed", "failed", "cancelled");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        var child = (await _world.ChildrenAsync(id)).Single()!;
        Assert.Equal("paused", child["status"]!.GetValue<string>());
        Assert.Empty(_world.Fake.RequestsOf("WRITER-H"));

        var alone = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = child["id"]!.GetValue<string>() }));
        Assert.Contains("'Holder', above this one", alone.Message);
        var resumed = await _world.ResumeAsync(new JsonObject { ["id"] = id, ["spendCapUsd"] = 1 });
        var done = await _world.WaitForStatusAsync(id, resumed, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("completed", (await _world.TaskAsync(child["id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        Assert.Equal("aitch", File.ReadAllText(Path.Combine(_world.Workspace, "h.txt")));
        Assert.Single(_world.Approvals, a => a["tool"]!.GetValue<string>() == "spend_cap");
    }

    [Fact]
    public async Task InterruptOneChild_TheOthersComplete_AndTheParentCompletesWithThatChildsCancellation()
    {
        _world.Fake.Script("ORCH-ONE",
            FakeOpenAIServer.ToolCalls(100, 10, Spawn("call_x", "x"), Spawn("call_y", "y"), Spawn("call_z", "z")),
            FakeOpenAIServer.Final("Two of three are written; y was interrupted."));
        ScriptWriter("x", "ex");
        ScriptWriter("z", "zed");
        _world.Fake.Script("WRITER-Y", FakeOpenAIServer.Hanging());

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-ONE: write x, y and z", Strong))["id"]!.GetValue<string>();
        var y = await ChildAsync(id, "Write y");
        // Its answer has begun streaming: the part the interrupt must keep exists.
        await _world.Client.WaitForAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["sessionId"]!.GetValue<string>() == y);

        var interrupted = (await _world.Client.CallAsync("task/interrupt", new JsonObject { ["id"] = y }))!;
        Assert.Equal("cancelled", interrupted["status"]!.GetValue<string>());
        Assert.Equal("Interrupted", interrupted["statusReason"]!.GetValue<string>());
        await _world.Fake.Http.WaitForDisconnectAsync(TimeSpan.FromSeconds(10)); // its HTTP stream was closed

        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var outcomes = _world.Fake.RequestsOf("ORCH-ONE")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.GetValue<string>());
        Assert.Contains(": cancelled.", outcomes["call_y"]);
        Assert.Contains("Why: Interrupted", outcomes["call_y"]);
        Assert.Contains(": completed.", outcomes["call_x"]);
        Assert.Contains(": completed.", outcomes["call_z"]);
        Assert.True(File.Exists(Path.Combine(_world.Workspace, "x.txt")));
        Assert.True(File.Exists(Path.Combine(_world.Workspace, "z.txt")));
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "y.txt")));
        // Its partial transcript is kept: the goal, and the answer cut short.
        var transcript = await _world.MessagesAsync(y);
        Assert.Equal(["user", "assistant"], transcript.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("cancelled", transcript[1]!["status"]!.GetValue<string>());
        Assert.Contains("Working on it", transcript[1]!.ToJsonString());
    }

    [Fact]
    public async Task InterruptRoot_StopsTheWholeSubtree_AndClosesTheirStreams()
    {
        _world.Fake.Script("ORCH-ROOT", FakeOpenAIServer.ToolCalls(100, 10, Spawn("call_p", "p"), Spawn("call_q", "q")));
        _world.Fake.Script("WRITER-P", FakeOpenAIServer.Hanging());
        _world.Fake.Script("WRITER-Q", FakeOpenAIServer.Hanging());

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-ROOT: write p and q", Strong, Shared))["id"]!.GetValue<string>();
        await Eventually(() => _world.Fake.RequestsOf("WRITER-P").Count == 1 && _world.Fake.RequestsOf("WRITER-Q").Count == 1, "both writers asked");

        var root = (await _world.Client.CallAsync("task/interrupt", new JsonObject { ["id"] = id }))!;

        Assert.Equal("cancelled", root["status"]!.GetValue<string>());
        Assert.Equal("Interrupted", root["statusReason"]!.GetValue<string>());
        var children = await _world.ChildrenAsync(id);
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(("cancelled", "Interrupted"), (c!["status"]!.GetValue<string>(), c["statusReason"]!.GetValue<string>())));
        await Eventually(() => _world.Fake.Http.Disconnects >= 2, "both children's HTTP streams closed");
        // The parent's transcript answers both spawn calls, so it can be resumed.
        var parts = (await _world.MessagesAsync(id))[1]!["parts"]!.AsArray();
        Assert.Equal(2, parts.Count(p => p!["kind"]!.GetValue<string>() == "tool_result"));
    }

    [Fact]
    public async Task SpawnLimits_AreToolErrorsTheModelReads()
    {
        // max_spawned_tasks 1: the second spawn of the turn is refused; a template outside child_templates is refused;
        // tools may only narrow the child template's.
        _world.Fake.Script("ORCH-LIMITS",
            FakeOpenAIServer.ToolCalls(100, 10,
                Spawn("call_1", "m"),
                ("call_2", "spawn_task", Args(("template", "task"), ("title", "Look"), ("goal", "look around"))),
                ("call_3", "spawn_task", Args(("template", "task-docs-writer"), ("title", "Docs"), ("goal", "docs"), ("tools", new JsonArray("read", "bash")))),
                Spawn("call_4", "n")),
            FakeOpenAIServer.Final("Limits understood."));
        ScriptWriter("m", "em");
        ScriptWriter("n", "en");

        var fields = new JsonObject { ["max_spawned_tasks"] = 1, ["child_templates"] = new JsonArray("task-code-writer", "task-docs-writer") };
        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-LIMITS: try the limits", Strong, fields))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(1, done["childCount"]!.GetValue<int>());
        var outcomes = _world.Fake.RequestsOf("ORCH-LIMITS")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.GetValue<string>());
        Assert.Contains("Template 'task' is not one this task may start", outcomes["call_2"]);
        Assert.Contains("may only narrow", outcomes["call_3"]);
        Assert.Contains("bash", outcomes["call_3"]);
        // One of the two code writers ran; the other was refused for the total.
        Assert.Single(new[] { outcomes["call_1"], outcomes["call_4"] }, o => o.Contains(": completed."));
        Assert.Single(new[] { outcomes["call_1"], outcomes["call_4"] }, o => o.Contains("at most 1 sub-task"));
    }

    [Fact]
    public async Task MaxDepth_RefusesASubTaskBelowTheLimit()
    {
        _world.Fake.Script("DEPTH-0",
            FakeOpenAIServer.ToolCalls(100, 10, ("call_d", "spawn_task", Args(("template", "task"), ("title", "Deeper"), ("goal", "go deeper")))),
            FakeOpenAIServer.Final("Could not go deeper."));
        var fields = new JsonObject { ["available_tools"] = new JsonArray("spawn_task"), ["max_spawned_tasks"] = 3, ["max_depth"] = 0 };

        var id = (await _world.StartTaskAsync("task", "DEPTH-0: spawn one", Strong, fields))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        Assert.Equal(0, done["childCount"]!.GetValue<int>());
        var refusal = _world.Fake.RequestsOf("DEPTH-0")[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Contains("max_depth is 0", refusal);
    }

    private async Task<string> ChildAsync(string parentId, string title)
    {
        string? id = null;
        await Eventually(async () =>
        {
            id = (await _world.ChildrenAsync(parentId)).FirstOrDefault(c => c!["title"]!.GetValue<string>() == title)?["id"]?.GetValue<string>();
            return id is not null;
        }, $"child '{title}' exists");
        return id!;
    }
}
