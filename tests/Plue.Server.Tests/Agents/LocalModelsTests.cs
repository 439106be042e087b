using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// A tree with a sub-task on a local instance (the user marked it so) has a known total, its spend cap holds; the
/// orchestrator is told which instances and models it may give sub-tasks, and one it names that does not exist is a
/// refusal it reads, naming what does.
/// </summary>
public sealed class LocalModelsTests : IAsyncLifetime
{
    private AgentWorld _world = null!;
    private string _localRef = "";

    public async Task InitializeAsync()
    {
        _world = await AgentWorld.StartAsync();
        // LM Studio or llama.cpp behind an OpenAI-compatible endpoint: the same fake, marked local, its window set by hand.
        var local = (await _world.Client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Local box", ["catalogProviderId"] = "openai", ["endpoint"] = _world.Fake.Endpoint, ["apiKey"] = "sk-local-unused",
            ["local"] = true, ["contextWindow"] = 32768, ["defaultModel"] = Cheap, ["retry"] = new JsonObject { ["maxAttempts"] = 1 },
        }))!;
        Assert.True(local["local"]!.GetValue<bool>());
        Assert.Equal(32768, local["contextWindow"]!.GetValue<int>());
        _localRef = local["ref"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task TheOrchestratorsBrief_ListsInstancesAndModels_AndAWrongProviderRefIsARefusalNamingWhatExists_TheTaskGoesOn()
    {
        _world.Fake.Script("ORCH-MENU",
            FakeOpenAIServer.ToolCalls(100, 10,
                ("call_bad", "spawn_task", Args(("template", "task-code-writer"), ("title", "Nowhere"), ("goal", "WRITER-NOWHERE: never"), ("provider_ref", "codex://providers/no-such-box"))),
                ("call_ok", "spawn_task", Args(("template", "task-code-writer"), ("title", "Local"), ("goal", "WRITER-LOCAL: say hi"), ("provider_ref", _localRef), ("model_id", Cheap)))),
            FakeOpenAIServer.Final("One ran, one was refused."));
        _world.Fake.Script("WRITER-LOCAL", FakeOpenAIServer.Final("hi"));

        var started = await _world.StartTaskAsync("task-orchestrator", "ORCH-MENU: delegate", Strong,
            new JsonObject { ["max_spawned_tasks"] = 2, ["child_templates"] = new JsonArray("task-code-writer") });
        var done = await _world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var brief = _world.Fake.RequestsOf("ORCH-MENU")[0].Json["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.Contains($"Loopback OpenAI (provider_ref \"{_world.ProviderRef}\"; yours; paid): gpt-5 (400k context, $1.25 in / $10 out per M tokens, reasoning, images)", brief);
        Assert.Contains($"Local box (provider_ref \"{_localRef}\"; runs locally, free): ", brief);
        Assert.Contains("runs locally, free): gpt-5-mini (32k context, free, reasoning, images); ", brief); // its default model first
        Assert.Contains("gpt-5.6-sol (1.05M context, $5 in / $30 out per M tokens, reasoning, images)", brief);
        Assert.Contains("more", brief); // the catalog's other models are counted, not listed
        // The writer's own brief has no menu: it cannot spawn.
        Assert.DoesNotContain("Provider instances and models", _world.Fake.RequestsOf("WRITER-LOCAL")[0].Json["messages"]!.ToJsonString());

        var results = _world.Fake.RequestsOf("ORCH-MENU")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.GetValue<string>());
        Assert.Contains("provider_ref 'codex://providers/no-such-box' cannot be used (there is no such instance)", results["call_bad"]);
        Assert.Contains($"\"{_world.ProviderRef}\" (Loopback OpenAI)", results["call_bad"]);
        Assert.Contains($"\"{_localRef}\" (Local box)", results["call_bad"]);
        Assert.Contains(": completed.", results["call_ok"]);
        Assert.Empty(_world.Fake.RequestsOf("WRITER-NOWHERE"));
    }

    [Fact]
    public async Task AMixedTree_HasAKnownTotal_AndItsSpendCapHolds()
    {
        // Orchestrator calls on gpt-5: (100k × $1.25 + 10k × $10) / 1M = $0.225 each. The local writer's calls cost $0,
        // although the catalog prices gpt-5-mini: the instance runs on the user's machine.
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "notes");
        _world.Fake.Script("ORCH-MIX",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_l", "spawn_task", Args(("template", "task-code-writer"), ("title", "Local writer"), ("goal", "WRITER-MIX: read twice"), ("provider_ref", _localRef), ("model_id", Cheap)))),
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_r", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("never reached: the cap stops the tree first", 100_000, 10_000));
        // The writer's prompts fit its 32K window (larger ones would be compacted first).
        _world.Fake.Script("WRITER-MIX",
            FakeOpenAIServer.ToolCalls(10_000, 1_000, ("call_r1", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("Read it.", 10_000, 1_000));
        _world.Decide = p => new JsonObject { ["decision"] = p["tool"]!.GetValue<string>() == "spend_cap" ? "deny" : "allow" };

        var id = (await _world.StartTaskAsync("task-orchestrator", "ORCH-MIX: delegate, then read", Strong,
            new JsonObject { ["spend_cap_usd"] = 0.4, ["available_tools"] = new JsonArray("read", "spawn_task"), ["child_templates"] = new JsonArray("task-code-writer") }))["id"]!.GetValue<string>();
        var paused = await _world.WaitForStatusAsync(id, "paused", "completed", "failed", "cancelled");

        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Contains("Spend cap reached: $0.45 of $0.40", paused["statusReason"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.RequestsOf("ORCH-MIX").Count);
        var child = Assert.Single(await _world.ChildrenAsync(id))!;
        Assert.Equal("completed", child["status"]!.GetValue<string>());
        Assert.Equal(0m, child["costUsd"]!.GetValue<decimal>());
        Assert.Equal(["local"], child["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(20_000, child["usage"]!["input"]!.GetValue<long>()); // usage still counts; only the price is 0

        var root = await _world.TaskAsync(id);
        Assert.Equal(0.45m, root["totalCostUsd"]!.GetValue<decimal>());
        // Known, not "at least": no source is unknown.
        Assert.Equal(["catalog", "local"], root["totalCostSources"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        Assert.Null(root["spendCapWarning"]);
    }
}
