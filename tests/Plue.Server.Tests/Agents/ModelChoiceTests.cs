using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// Which model runs: a chat or task refuses a model its instance does not offer (naming what it does) unless
/// allowUnlisted, and a spawned task takes its template's default model before its parent's.
/// </summary>
public sealed class ModelChoiceTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task AModelTheInstanceDoesNotOffer_IsRefusedWithWhatItOffers_UnlessAllowedOnPurpose()
    {
        var create = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-nonexistent" }));
        Assert.Contains("'gpt-nonexistent' is not a model Loopback OpenAI offers", create.Message);
        Assert.Contains(Strong, create.Message);
        Assert.Contains("allowUnlisted", create.Message);

        var chat = (await _world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = Strong , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/setModel", new JsonObject { ["id"] = id, ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-nonexistent" }));
        // The provider's own list counts too (the fake lists gpt-test), and a custom id goes through when asked for.
        await _world.Client.CallAsync("session/setModel", new JsonObject { ["id"] = id, ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-test" });
        var custom = (await _world.Client.CallAsync("session/setModel", new JsonObject { ["id"] = id, ["instanceId"] = _world.InstanceId, ["modelId"] = "my-finetune", ["allowUnlisted"] = true }))!;
        Assert.Equal("my-finetune", custom["modelId"]!.GetValue<string>());

        var task = await Assert.ThrowsAsync<RpcCallException>(() => _world.StartTaskAsync("task", "never runs", "gpt-nonexistent"));
        Assert.Contains("is not a model Loopback OpenAI offers", task.Message);
    }

    [Fact]
    public async Task ASpawnedTask_TakesItsTemplatesDefaultModel_BeforeItsParents_AndAnUnknownModelIsAToolErrorTheModelReads()
    {
        // The user's own code-writer (home templates replace shipped ones): the shipped one, set to the cheap model.
        var shipped = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "templates", "task-code-writer.json5"));
        Directory.CreateDirectory(Path.Combine(_world.Home, "templates"));
        await File.WriteAllTextAsync(Path.Combine(_world.Home, "templates", "task-code-writer.json5"),
            shipped.Replace("  fields: {", $"  fields: {{\n    model_id: {{ type: \"text\", label: \"Model\", default: \"{Cheap}\" }},", StringComparison.Ordinal));
        // The user's template is loaded once the list names it from the home (a shipped description may say "home" too).
        await Eventually(async () => (await _world.Client.CallAsync("templates/list"))!.AsArray()
            .Any(t => t!["id"]!.GetValue<string>() == "task-code-writer" && t["source"]!.GetValue<string>() == "home"));
        _world.Fake.Script("ORCH-MODEL",
            FakeOpenAIServer.ToolCalls(100, 10,
                ("call_bad", "spawn_task", Args(("template", "task-code-writer"), ("title", "Bad"), ("goal", "WRITER-BAD: never"), ("model_id", "gpt-imaginary"))),
                ("call_ok", "spawn_task", Args(("template", "task-code-writer"), ("title", "Cheap"), ("goal", "WRITER-CHEAP: say hi")))),
            FakeOpenAIServer.Final("Both reported."));
        _world.Fake.Script("WRITER-CHEAP", FakeOpenAIServer.Final("hi"));

        var started = await _world.StartTaskAsync("task-orchestrator", "ORCH-MODEL: delegate", Strong,
            new JsonObject { ["max_spawned_tasks"] = 2, ["child_templates"] = new JsonArray("task-code-writer") });
        var done = await _world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var child = Assert.Single(await _world.ChildrenAsync(done["id"]!.GetValue<string>()));
        Assert.Equal(Cheap, child!["modelId"]!.GetValue<string>());
        Assert.Equal(Cheap, _world.Fake.RequestsOf("WRITER-CHEAP")[0].Json["model"]!.GetValue<string>());
        var results = _world.Fake.RequestsOf("ORCH-MODEL")[1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.GetValue<string>());
        Assert.Contains("'gpt-imaginary' is not a model Loopback OpenAI offers", results["call_bad"]);
        Assert.Contains("leave model_id out", results["call_bad"]);
        Assert.DoesNotContain("allowUnlisted", results["call_bad"]); // a model calling spawn_task cannot set it
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++) await Task.Delay(100);
    }
}
