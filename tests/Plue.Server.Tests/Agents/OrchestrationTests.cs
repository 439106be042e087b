using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using static Plue.Tests.Agents.AgentWorld;

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

        var started = await _world.StartTaskAsync("task-orchestrator", "ORCH-FANOUT: have a.txt, b.txt and c.txt written", Strong);
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
        await Eventually(() => _world.Fake.RequestsOf("WRITER-Y").Count == 1, "writer y asked its model");

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

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-ROOT: write p and q", Strong))["id"]!.GetValue<string>();
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

    internal static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    internal static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 30 s for: {what}");
            await Task.Delay(20);
        }
    }
}
