using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// A spend cap on a model with no price cannot count what it spends: task/start says so at once (the Run Task answer the
/// user sees), and a priced task does not. Real sidecar, loopback OpenAI.
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
        Assert.Contains("cannot hold", warning);
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
}
