using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// Writers beside each other over the real sidecar: in a git workspace each works in its own worktree under the home and
/// its changes come back for review (applied cleanly, in conflict, or discarded), the worktrees gone afterwards; without
/// git they take turns in the workspace.
/// </summary>
public sealed class WorktreeTasksTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string Worktrees => Path.Combine(_world.Home, "worktrees");

    private static (string, string, JsonObject) Spawn(string id, string letter) =>
        (id, "spawn_task", Args(("template", "task-code-writer"), ("title", $"Write {letter}"), ("goal", $"WRITER-{letter.ToUpperInvariant()}: change f.txt"), ("model_id", Cheap)));

    /// <summary>Three writers, each putting its word on the same line of f.txt.</summary>
    private void ScriptThreeWriters(string orchestrator, string file = "f.txt")
    {
        _world.Fake.Script(orchestrator,
            FakeOpenAIServer.ToolCalls(100_000, 10_000, Spawn("call_a", "a"), Spawn("call_b", "b"), Spawn("call_c", "c")),
            FakeOpenAIServer.Final("All three are done.", 100_000, 10_000));
        foreach (var (letter, word) in new[] { ("a", "alpha"), ("b", "beta"), ("c", "gamma") })
            _world.Fake.Script($"WRITER-{letter.ToUpperInvariant()}",
                FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_w", "write", Args(("path", file), ("content", $"one\n{word}\nthree\n")))),
                FakeOpenAIServer.Final($"Wrote {word}", 100_000, 10_000));
    }

    private async Task<Dictionary<string, string>> ChildrenByTitleAsync(string id) =>
        (await _world.ChildrenAsync(id)).ToDictionary(c => c!["title"]!.GetValue<string>(), c => c!["id"]!.GetValue<string>());

    private Task<JsonNode?> CallAsync(string method, string id) => _world.Client.CallAsync(method, new JsonObject { ["id"] = id });

    [Fact]
    public async Task ThreeWritersOnOneRegion_EachInItsOwnWorktree_OneApplies_OneConflicts_OneIsDiscarded_WorktreesGone()
    {
        File.WriteAllText(Path.Combine(_world.Workspace, "f.txt"), "one\ntwo\nthree\n");
        GitRepo.Init(_world.Workspace);
        ScriptThreeWriters("ORCH-SAME");
        // Only writers running at once get past their first answer.
        _world.Fake.Rendezvous(TimeSpan.FromSeconds(30), "WRITER-A", "WRITER-B", "WRITER-C");

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-SAME: have f.txt changed three ways", Strong))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        // Nothing reached the workspace: each wrote in its own worktree under the home.
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(Path.Combine(_world.Workspace, "f.txt")));
        var children = await ChildrenByTitleAsync(id);
        foreach (var (letter, word) in new[] { ("a", "alpha"), ("b", "beta"), ("c", "gamma") })
        {
            var child = (await _world.TaskAsync(children[$"Write {letter}"]))!;
            Assert.Equal("completed", child["status"]!.GetValue<string>());
            Assert.Equal("""[{"path":"f.txt","change":"modified"}]""", child["changes"]!.ToJsonString());
            var worktree = child["worktree"]!.GetValue<string>();
            Assert.StartsWith(Worktrees, worktree, StringComparison.Ordinal);
            Assert.Equal($"one\n{word}\nthree\n", File.ReadAllText(Path.Combine(worktree, "f.txt")));
        }
        Assert.Equal(4, GitRepo.Worktrees(_world.Workspace).Count);
        var toolMessages = _world.Fake.RequestsOf("ORCH-SAME")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.All(toolMessages, m => Assert.Contains("in its own git worktree", m!["content"]!.GetValue<string>()));
        var review = (await CallAsync("task/changes", children["Write a"]))!;
        Assert.Contains("+alpha", review["patch"]!.GetValue<string>());
        Assert.Equal(_world.Workspace, review["folder"]!.GetValue<string>());

        var applied = (await CallAsync("task/applyChanges", children["Write a"]))!;
        Assert.Empty(applied["conflicts"]!.AsArray());
        Assert.Equal("one\nalpha\nthree\n", File.ReadAllText(Path.Combine(_world.Workspace, "f.txt")));
        var conflicted = (await CallAsync("task/applyChanges", children["Write b"]))!;
        Assert.Equal("""["f.txt"]""", conflicted["conflicts"]!.ToJsonString());
        var merged = File.ReadAllText(Path.Combine(_world.Workspace, "f.txt"));
        Assert.Contains("<<<<<<<", merged);
        Assert.Contains("alpha", merged);
        Assert.Contains("beta", merged);
        var discarded = (await CallAsync("task/discardChanges", children["Write c"]))!;
        Assert.Null(discarded["changes"]);

        Assert.DoesNotContain("gamma", File.ReadAllText(Path.Combine(_world.Workspace, "f.txt")));
        Assert.Empty(Directory.GetDirectories(Worktrees));
        Assert.Single(GitRepo.Worktrees(_world.Workspace));
        // Applying is a write like any: each apply is a checkpoint of its task, which can put it back.
        foreach (var (title, count) in new[] { ("Write a", 1), ("Write b", 1), ("Write c", 0) })
        {
            var checkpoints = (await _world.Client.CallAsync("checkpoint/list", new JsonObject { ["sessionId"] = children[title] }))!["checkpoints"]!.AsArray();
            Assert.Equal(count, checkpoints.Count);
            Assert.All(checkpoints, c => Assert.Equal("""[{"path":"f.txt","change":"modified"}]""", c!["files"]!.ToJsonString()));
        }
        // The tree's cost and approvals are as without worktrees: own 2 × $0.225, three writers 2 × $0.045 each; one write asked per writer.
        var root = await _world.TaskAsync(id);
        Assert.Equal(0.72m, root["totalCostUsd"]!.GetValue<decimal>());
        Assert.Equal(children.Values.Order(), _world.Approvals.Select(a => a["taskId"]!.GetValue<string>()).Order());
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CallAsync("task/applyChanges", children["Write a"]));
        Assert.Contains("no changes waiting", error.Message);
    }

    [Fact]
    public async Task MergeChanges_TheOrchestratorMergesTwoWriters_AfterApproval_TheSecondInConflict_TheThirdWaits()
    {
        File.WriteAllText(Path.Combine(_world.Workspace, "f.txt"), "one\ntwo\nthree\n");
        GitRepo.Init(_world.Workspace);
        ScriptThreeWriters("ORCH-MERGE");
        _world.Fake.Script("ORCH-MERGE",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, Spawn("call_a", "a"), Spawn("call_b", "b"), Spawn("call_c", "c")),
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_ma", "merge_changes", Args(("task", "Write a"))), ("call_mb", "merge_changes", Args(("task", "Write b")))),
            FakeOpenAIServer.Final("Merged alpha; beta is in conflict; gamma waits.", 100_000, 10_000));
        _world.Fake.Rendezvous(TimeSpan.FromSeconds(30), "WRITER-A", "WRITER-B", "WRITER-C");

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-MERGE: have f.txt changed three ways and merge them", Strong))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var children = await ChildrenByTitleAsync(id);
        // The spawn results told the orchestrator how to merge; the merges' results say what came in and what is in conflict.
        var second = _world.Fake.RequestsOf("ORCH-MERGE")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.All(second, m => Assert.Contains("merge_changes {\"task\": \"codex://tasks/", m!["content"]!.GetValue<string>()));
        var merges = _world.Fake.RequestsOf("ORCH-MERGE")[2].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Skip(3)
            .Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(2, merges.Count);
        Assert.StartsWith($"Merged the changes of \"Write a\" into {_world.Workspace}: f.txt (modified).", merges[0]);
        Assert.DoesNotContain("In conflict", merges[0]);
        Assert.Contains("In conflict: f.txt.", merges[1]);
        var text = File.ReadAllText(Path.Combine(_world.Workspace, "f.txt"));
        Assert.Contains("<<<<<<<", text);
        Assert.Contains("alpha", text);
        Assert.Contains("beta", text);
        Assert.DoesNotContain("gamma", text);
        // The client is told of each merge, with what its merge editor needs for the conflicted one.
        var told = _world.Client.Notifications.Where(n => n["method"]!.GetValue<string>() == "task/merged").Select(n => n["params"]!).ToList();
        Assert.Equal(["Write a", "Write b"], told.Select(n => n["title"]!.GetValue<string>()));
        Assert.All(told, n => Assert.Equal(id, n["mergedBy"]!.GetValue<string>()));
        Assert.Empty(told[0]["result"]!["conflicts"]!.AsArray());
        var versions = told[1]["result"]!["conflictVersions"]!.AsArray().Single()!;
        Assert.Equal(("f.txt", "one\ntwo\nthree\n", "one\nalpha\nthree\n", "one\nbeta\nthree\n"),
            (versions["path"]!.GetValue<string>(), versions["base"]!.GetValue<string>(), versions["current"]!.GetValue<string>(), versions["incoming"]!.GetValue<string>()));
        // Merged ones are gone from the home and from git; the third still waits for the user.
        Assert.Equal([children["Write c"]], Directory.GetDirectories(Worktrees).Select(Path.GetFileName));
        Assert.Equal(2, GitRepo.Worktrees(_world.Workspace).Count);
        // Each merge asked the user as a write does, naming the sub-task; each is a checkpoint of its sub-task.
        var asked = _world.Approvals.Where(a => a["tool"]!.GetValue<string>() == "merge_changes").ToList();
        Assert.Equal(2, asked.Count);
        Assert.All(asked, a => Assert.Equal(id, a["taskId"]!.GetValue<string>()));
        Assert.Equal("Merge the changes of \"Write a\" (f.txt) into the workspace", asked[0]["reason"]!.GetValue<string>());
        foreach (var title in new[] { "Write a", "Write b" })
            Assert.Single((await _world.Client.CallAsync("checkpoint/list", new JsonObject { ["sessionId"] = children[title] }))!["checkpoints"]!.AsArray());
        // Cost as without merging: own 3 × $0.225, three writers 2 × $0.045 each.
        Assert.Equal(0.945m, (await _world.TaskAsync(id))["totalCostUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task MergeChanges_ATaskThatIsNotItsSubTask_IsRefused_AndNotAsked()
    {
        File.WriteAllText(Path.Combine(_world.Workspace, "f.txt"), "one\ntwo\nthree\n");
        GitRepo.Init(_world.Workspace);
        _world.Fake.Script("ORCH-STRANGER",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_m", "merge_changes", Args(("task", "codex://tasks/somebody-else")))),
            FakeOpenAIServer.Final("Nothing merged.", 100_000, 10_000));

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-STRANGER: merge another task", Strong))["id"]!.GetValue<string>();
        await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        var result = _world.Fake.RequestsOf("ORCH-STRANGER")[1].Json["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Equal("'codex://tasks/somebody-else' is none of this task's sub-tasks: give the codex://tasks/<slug> reference spawn_task reported.", result);
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(Path.Combine(_world.Workspace, "f.txt")));
        Assert.Empty(_world.Approvals);
    }

    [Fact]
    public async Task WithoutGit_WritersBesideEachOther_TakeTurnsInTheWorkspace()
    {
        File.WriteAllText(Path.Combine(_world.Workspace, "f.txt"), "one\ntwo\nthree\n");
        ScriptThreeWriters("ORCH-TURNS");

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-TURNS: have f.txt changed three ways", Strong))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.False(Directory.Exists(Worktrees));
        // One writer's calls all come before the next one's: never interleaved.
        var order = _world.Fake.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal))
            .Select(r => r.Json["messages"]!.ToJsonString()).Where(m => !m.Contains("ORCH-TURNS")).Select(m => new[] { "WRITER-A", "WRITER-B", "WRITER-C" }.FirstOrDefault(w => m.Contains(w))).OfType<string>().ToList();
        Assert.Equal(6, order.Count);
        Assert.Equal(3, order.Distinct().Count());
        for (var i = 0; i < 6; i += 2) Assert.Equal(order[i], order[i + 1]);
        Assert.Matches("^one\n(alpha|beta|gamma)\nthree\n$", File.ReadAllText(Path.Combine(_world.Workspace, "f.txt")));
    }

    [Fact]
    public async Task Recovery_RemovesADeletedTasksWorktree_AndOneHalfMade_KeepsAStoppedTasksChanges()
    {
        File.WriteAllText(Path.Combine(_world.Workspace, "f.txt"), "one\ntwo\nthree\n");
        GitRepo.Init(_world.Workspace);
        ScriptThreeWriters("ORCH-RECOVER");
        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-RECOVER: have f.txt changed three ways", Strong))["id"]!.GetValue<string>();
        await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");
        var children = await ChildrenByTitleAsync(id);
        await CallAsync("codex/delete", children["Write a"]);
        // A crash while a worktree was being made leaves a folder without its record.
        Directory.CreateDirectory(Path.Combine(Worktrees, "half-made", "tree"));

        await _world.Sidecar.Services.GetRequiredService<TaskRecovery>().RecoverWorktreesAsync();

        Assert.Equal([children["Write b"], children["Write c"]], Directory.GetDirectories(Worktrees).Select(Path.GetFileName).Order());
        Assert.Equal(3, GitRepo.Worktrees(_world.Workspace).Count);
        Assert.NotNull((await _world.TaskAsync(children["Write b"]))["changes"]);
    }
}
