using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// A spend cap on a model with no price counts its tokens at the task's price for them (unpriced_usd_per_million):
/// task/start says so at once (the Run Task answer the user sees), a priced task does not, and the cap stops the task.
/// Real sidecar, loopback OpenAI.
/// </summary>
public sealed class SpendCapWarningTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task ACapOnAnUnpricedModel_IsWarnedAboutAtStart_AndStaysWarnedAfterItsCallsCostAnUnknownAmount()
    {
        _world.Fake.Script("UNPRICED", FakeOpenAIServer.Final("done", 1_000, 100));
        _world.Fake.Script("PRICED", FakeOpenAIServer.Final("done", 1_000, 100));

        var unpriced = await _world.StartTaskAsync("task", "UNPRICED: say done", "my-finetune", new JsonObject { ["spend_cap_usd"] = 1 }, allowUnlisted: true);
        var priced = await _world.StartTaskAsync("task", "PRICED: say done", Cheap, new JsonObject { ["spend_cap_usd"] = 1 });

        var warning = unpriced["spendCapWarning"]?.GetValue<string>();
        Assert.NotNull(warning);
        Assert.Contains("$10.00 per million", warning);
        Assert.Contains("my-finetune", warning);
        Assert.Contains("price", warning);
        Assert.Null(priced["spendCapWarning"]);

        var done = await _world.WaitForStatusAsync(unpriced["id"]!.GetValue<string>(), "completed", "failed");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Null(done["costUsd"]); // nothing known: not $0
        Assert.Equal(["unknown"], done["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("no known price", done["spendCapWarning"]!.GetValue<string>());
        var pricedDone = await _world.WaitForStatusAsync(priced["id"]!.GetValue<string>(), "completed", "failed");
        Assert.Equal(["catalog"], pricedDone["totalCostSources"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task ACapOnAnUnpricedModel_Holds_ByItsTokensAtTheTasksPriceForThem()
    {
        // 4,000 + 1,000 tokens a call: $0.05 at the default $10 per million, $0.005 at $1.
        FakeResponse Read(string id) => FakeOpenAIServer.ToolCalls(4_000, 1_000, (id, "read", Args(("path", "notes.md"))));
        _world.Fake.Script("UNPRICED-CAP", Read("call_1"), FakeOpenAIServer.Final("never sent"));
        _world.Fake.Script("UNPRICED-CHEAP", Read("call_1"), FakeOpenAIServer.Final("done", 4_000, 1_000));
        _world.Decide = p => p["tool"]!.GetValue<string>() == "spend_cap" ? throw new InvalidOperationException("no answer") : new JsonObject { ["decision"] = "allow" };

        var capped = await _world.StartTaskAsync("task", "UNPRICED-CAP: read notes.md", "my-finetune", new JsonObject { ["spend_cap_usd"] = 0.05 }, allowUnlisted: true);
        var cheap = await _world.StartTaskAsync("task", "UNPRICED-CHEAP: read notes.md", "my-finetune",
            new JsonObject { ["spend_cap_usd"] = 0.05, ["unpriced_usd_per_million"] = 1 }, allowUnlisted: true);

        var paused = await _world.WaitForStatusAsync(capped["id"]!.GetValue<string>(), "completed", "failed", "paused");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Contains("Spend cap reached: $0.05 of $0.05 spent, sub-tasks included, 5,000 tokens of models with no known price counted at $10.00 per million",
            paused["statusReason"]!.GetValue<string>());
        Assert.Single(_world.Fake.RequestsOf("UNPRICED-CAP"));
        Assert.Null(paused["totalCostUsd"]); // the known cost is still not made up
        var low = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("task/resume", new JsonObject { ["id"] = paused["id"]!.DeepClone(), ["spendCapUsd"] = 0.04 }));
        Assert.Contains("more than the $0.05", low.Message);

        var done = await _world.WaitForStatusAsync(cheap["id"]!.GetValue<string>(), "completed", "failed", "paused");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.RequestsOf("UNPRICED-CHEAP").Count);
        Assert.Contains("$1.00 per million", done["spendCapWarning"]!.GetValue<string>());
    }
}
