using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>A turn's price from the shipped catalog, and the cases it must stay unknown (null, never 0).</summary>
public sealed class TurnCostTests : IDisposable
{
    private readonly TempDir _user = new();
    private readonly CatalogStore _catalog;

    public TurnCostTests() => _catalog = new CatalogStore(CatalogStore.ShippedDirectory, () => _user.Path, NullLogger<CatalogStore>.Instance);

    public void Dispose() => _user.Dispose();

    private static ProviderConnection Connection(string type, string catalogId) => new() { InstanceId = "i", ProviderType = type, CatalogProviderId = catalogId };

    [Fact]
    public void OpenAI_CachedTokensInsideTheInput_AreBilledAtTheCacheRate()
    {
        // gpt-4o: $2.50 input, $1.25 cache read, $10 output per million.
        var usage = new TokenUsage { Input = 1_000_000, CacheRead = 400_000, Output = 100_000 };

        Assert.Equal((0.6m * 2.5m + 0.4m * 1.25m + 0.1m * 10m, CostSource.Catalog), TurnCost.Compute(_catalog, Connection("openai", "openai"), "gpt-4o", usage));
        // The same counts estimated from text (a stopped reply) are priced alike, and say they are an estimate.
        Assert.Equal(CostSource.Estimate, TurnCost.Compute(_catalog, Connection("openai", "openai"), "gpt-4o", usage with { Estimated = true }).Source);
    }

    [Fact]
    public void Anthropic_TheTotalInputIsUnderstood_CacheReadsAndWritesInsideIt()
    {
        // The transcript's usage counts every prompt token in Input, whatever the provider bills (ProviderUsage).
        var details = ProviderUsage.Create(totalInput: 1_000_000, output: 0, cacheRead: 500_000, cacheWrite: 100_000, reasoning: 0);
        var usage = UsageMapping.From(details);
        var model = _catalog.Find("anthropic")!.Provider.Models.First(m => m.Prices is { CacheWrite: not null, CacheRead: not null });
        var prices = model.Prices!;

        var cost = TurnCost.Compute(_catalog, Connection("anthropic", "anthropic"), model.Id, usage).Usd;

        Assert.Equal(100_000, usage.CacheWrite);
        Assert.Equal((decimal)(0.4 * prices.Input!.Value + 0.5 * prices.CacheRead!.Value + 0.1 * prices.CacheWrite!.Value), cost!.Value, 6);
    }

    [Fact]
    public void UnknownPrice_IsNull_ForAnUnpricedBackend_AnUnknownModel_OrImpossibleCounts()
    {
        var usage = new TokenUsage { Input = 10, Output = 1 };

        Assert.Equal((null, CostSource.Unknown), TurnCost.Compute(_catalog, Connection("claude-code", "claude-code"), "claude-sonnet-4-5", usage));
        Assert.Equal((null, CostSource.Unknown), TurnCost.Compute(_catalog, Connection("openai", "openai"), "no-such-model", usage));
        Assert.Equal((null, CostSource.Unknown), TurnCost.Compute(_catalog, Connection("openai", "no-such-provider"), "gpt-4o", usage));
        // More cached tokens than prompt tokens cannot be priced.
        Assert.Equal((null, CostSource.Unknown), TurnCost.Compute(_catalog, Connection("openai", "openai"), "gpt-4o", new TokenUsage { Input = 10, CacheRead = 20 }));
        Assert.Equal((0m, CostSource.Local), TurnCost.Compute(_catalog, Connection("ollama", "ollama"), "llama3", usage));
    }

    [Fact]
    public void UsageWithoutABreakdown_HasNoCacheWrites()
    {
        var usage = UsageMapping.From(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 2 });

        Assert.Equal(new TokenUsage { Input = 7, Output = 2 }, usage);
    }
}
