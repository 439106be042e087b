using Plue.Catalog;
using Plue.Protocol;

namespace Plue.Tests.Catalog;

/// <summary>Cost from usage and prices, with examples worked by hand (prices are USD per 1M tokens).</summary>
public sealed class CostCalculatorTests
{
    // Claude Sonnet 4.6 (catalog/anthropic.json): input 3, output 15, cache read 0.3, cache write 3.75.
    private static readonly ModelPrices s_sonnet = new() { Input = 3, Output = 15, CacheRead = 0.3, CacheWrite = 3.75 };

    // GPT-4.1 mini (catalog/openai.json): input 0.4, output 1.6, cache read 0.1, no cache-write price.
    private static readonly ModelPrices s_gpt41Mini = new() { Input = 0.4, Output = 1.6, CacheRead = 0.1, CacheWrite = null };

    [Fact]
    public void Anthropic_InputExcludesCacheTokens()
    {
        // input_tokens 1,000, cache_creation 10,000, cache_read 50,000, output 2,000 (of which 500 thinking):
        //   1,000 × 3    / 1M = 0.003
        //  10,000 × 3.75 / 1M = 0.0375
        //  50,000 × 0.3  / 1M = 0.015
        //   2,000 × 15   / 1M = 0.03      (thinking is inside output_tokens: not billed again)
        //                       = 0.0855
        var usage = new Usage { Input = 1_000, CacheWrite = 10_000, CacheRead = 50_000, Output = 2_000, Reasoning = 500 };
        Assert.Equal(0.0855m, CostCalculator.Compute(usage, s_sonnet, UsageConvention.Anthropic));
    }

    [Fact]
    public void OpenAI_PromptIncludesCachedTokens_ReasoningIsInsideCompletion()
    {
        // prompt_tokens 10,000 with cached_tokens 8,000; completion_tokens 1,000 with reasoning_tokens 400:
        //   (10,000 − 8,000) × 0.4 / 1M = 0.0008
        //          8,000     × 0.1 / 1M = 0.0008
        //          1,000     × 1.6 / 1M = 0.0016
        //                                = 0.0032   (the unknown cache-write price is not needed: 0 such tokens)
        var usage = new Usage { Input = 10_000, CacheRead = 8_000, Output = 1_000, Reasoning = 400 };
        Assert.Equal(0.0032m, CostCalculator.Compute(usage, s_gpt41Mini, UsageConvention.OpenAI));
    }

    [Fact]
    public void OpenRouter_PromptIncludesCacheReadsAndWrites()
    {
        // anthropic/claude-sonnet-4.6 through OpenRouter (catalog/openrouter.json: 3 / 15 / 0.3 / 3.75);
        // prompt_tokens 20,000 with cached_tokens 12,000 and cache_write_tokens 5,000; completion_tokens 500:
        //   (20,000 − 12,000 − 5,000) × 3    / 1M = 0.009
        //               12,000        × 0.3  / 1M = 0.0036
        //                5,000        × 3.75 / 1M = 0.01875
        //                  500        × 15   / 1M = 0.0075
        //                                          = 0.03885
        var usage = new Usage { Input = 20_000, CacheRead = 12_000, CacheWrite = 5_000, Output = 500 };
        Assert.Equal(0.03885m, CostCalculator.Compute(usage, s_sonnet, UsageConvention.OpenRouter));
    }

    [Fact]
    public void SameNumbers_UnderTheWrongConvention_WouldOverbill()
    {
        // Read as Anthropic's, the 8,000 cached tokens of the OpenAI example are billed twice:
        //   10,000 × 0.4 + 8,000 × 0.1 + 1,000 × 1.6 = 6,400 per 1M = 0.0064 instead of 0.0032.
        var usage = new Usage { Input = 10_000, CacheRead = 8_000, Output = 1_000 };
        Assert.Equal(0.0064m, CostCalculator.Compute(usage, s_gpt41Mini, UsageConvention.Anthropic));
    }

    [Fact]
    public void UnknownPrice_ThatTokensNeed_MakesTheCostUnknown()
    {
        // Cache writes with no cache-write price: unknown, not 0.
        Assert.Null(CostCalculator.Compute(new Usage { Input = 100, CacheWrite = 50, Output = 10 }, s_gpt41Mini, UsageConvention.Anthropic));
        Assert.Null(CostCalculator.Compute(new Usage { Input = 100, Output = 10 }, ModelPrices.Unknown, UsageConvention.OpenAI));
    }

    [Fact]
    public void ZeroCounts_NeverNeedTheirPrice()
    {
        Assert.Equal(0m, CostCalculator.Compute(new Usage(), ModelPrices.Unknown, UsageConvention.OpenAI));
        // 1,000,000 output tokens at 15 = 15; input, cache prices unknown but unused.
        Assert.Equal(15m, CostCalculator.Compute(new Usage { Output = 1_000_000 }, new ModelPrices { Output = 15 }, UsageConvention.Anthropic));
    }

    [Fact]
    public void FreeModel_CostsZero()
    {
        var free = new ModelPrices { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 };
        Assert.Equal(0m, CostCalculator.Compute(new Usage { Input = 5_000, CacheRead = 1_000, Output = 700 }, free, UsageConvention.OpenRouter));
    }

    [Fact]
    public void OpenAI_MoreCachedThanPromptTokens_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => CostCalculator.Compute(new Usage { Input = 100, CacheRead = 200 }, s_gpt41Mini, UsageConvention.OpenAI));
        Assert.Contains("cannot be fewer than 200", e.Message);
    }

    [Theory]
    [InlineData("anthropic", UsageConvention.Anthropic)]
    [InlineData("openai", UsageConvention.OpenAI)]
    [InlineData("openai-compatible", UsageConvention.OpenAI)]
    [InlineData("openrouter", UsageConvention.OpenRouter)]
    [InlineData("ollama", UsageConvention.OpenAI)]
    [InlineData("claude-code", null)]
    public void ConventionFor_ProviderType(string type, UsageConvention? expected) =>
        Assert.Equal(expected, CostCalculator.ConventionFor(type));
}
