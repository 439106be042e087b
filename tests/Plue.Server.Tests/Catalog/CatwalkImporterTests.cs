using Plue.Catalog;
using Plue.Catalog.Import;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>
/// The importer against the real Catwalk files: each provider family's cache-price mapping checked with
/// concrete numbers read from the source files (quoted in the comments as in_cached / out_cached).
/// </summary>
public sealed class CatwalkImporterTests
{
    private static readonly Lazy<IReadOnlyList<CatalogProvider>> s_imported =
        new(() => CatwalkImporter.ConvertAll(RepoPaths.Catwalk, new List<string>()));

    private static CatalogProvider Provider(string id) => s_imported.Value.Single(p => p.Id == id);

    private static ModelPrices Prices(string providerId, string modelId) =>
        Provider(providerId).Models.Single(m => m.Id == modelId).Prices!;

    private static void AssertPrices(ModelPrices actual, double? input, double? output, double? cacheRead, double? cacheWrite) =>
        Assert.Equal(new ModelPrices { Input = input, Output = output, CacheRead = cacheRead, CacheWrite = cacheWrite }, actual);

    [Fact]
    public void Layouts_CoverEveryCatwalkFile_AndNothingElse()
    {
        var files = Directory.GetFiles(RepoPaths.Catwalk, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(files, CatwalkImporter.Layouts.Keys.Order(StringComparer.Ordinal));
        Assert.All(CatwalkImporter.Layouts.Values, v => Assert.False(string.IsNullOrWhiteSpace(v.Reason)));
    }

    [Fact]
    public void AnthropicTypeFiles_MapWriteAndReadPerFile()
    {
        // anthropic.json claude-sonnet-4-6: in 3, out 15, in_cached 3.75 (1.25x: write), out_cached 0.3 (0.1x: read).
        AssertPrices(Prices("anthropic", "claude-sonnet-4-6"), 3, 15, 0.3, 3.75);
        // minimax.json MiniMax-M2.7: in 0.3, out 1.2, in_cached 0.06 (read), out_cached 0.375 (write): the reverse.
        AssertPrices(Prices("minimax", "MiniMax-M2.7"), 0.3, 1.2, 0.06, 0.375);
        // MiniMax-M3: in 0.6, in_cached 0.12, out_cached 0.375, a write price below input: only the file's layout can tell.
        AssertPrices(Prices("minimax", "MiniMax-M3"), 0.6, 2.4, 0.12, 0.375);
        AssertPrices(Prices("minimax-china", "MiniMax-M2.5"), 0.3, 1.2, 0.03, 0.375);
        // kimi.json is a coding subscription: every price 0, which is not "free" but "not billed per token".
        AssertPrices(Prices("kimi-coding", "k3"), null, null, null, null);
        Assert.Equal(ProviderTypes.Anthropic, Provider("kimi-coding").Type);
        // Bedrock's Claude: in 3, in_cached 3.75, out_cached 0.3.
        AssertPrices(Prices("bedrock", "us.anthropic.claude-sonnet-4-6"), 3, 15, 0.3, 3.75);
    }

    [Fact]
    public void OpenAIFile_ClassifiesEachRowBySize()
    {
        // gpt-5.6-sol: in 5, in_cached 6.25 (above input: write), out_cached 0.5 (read).
        AssertPrices(Prices("openai", "gpt-5.6-sol"), 5, 30, 0.5, 6.25);
        // gpt-5.5: in_cached 0.5, out_cached 0: the cache-read price sits in in_cached.
        AssertPrices(Prices("openai", "gpt-5.5"), 5, 30, 0.5, null);
        // gpt-5: in_cached 0.125 = out_cached 0.125: the read price repeated.
        AssertPrices(Prices("openai", "gpt-5"), 1.25, 10, 0.125, null);
        // o3: in_cached 0, out_cached 0.5.
        AssertPrices(Prices("openai", "o3"), 2, 8, 0.5, null);
        // gpt-4.1-mini: float noise 0.39999999999999997 / 1.5999999999999999 / 0.09999999999999999 rounded.
        AssertPrices(Prices("openai", "gpt-4.1-mini"), 0.4, 1.6, 0.1, null);
        // gpt-5.5-pro: both cached columns 0: no cache price published.
        AssertPrices(Prices("openai", "gpt-5.5-pro"), 30, 180, null, null);
    }

    [Fact]
    public void OpenRouterFile_FollowsCatwalkConvention_AndFreeMeansFree()
    {
        // anthropic/claude-sonnet-4.6: in_cached 3.75 (write), out_cached 0.3 (read).
        AssertPrices(Prices("openrouter", "anthropic/claude-sonnet-4.6"), 3, 15, 0.3, 3.75);
        // google/gemini-2.5-flash: in_cached 0.08333, out_cached 0.03: OpenRouter's own write / read figures.
        AssertPrices(Prices("openrouter", "google/gemini-2.5-flash"), 0.3, 2.5, 0.03, 0.08333);
        // qwen/qwen3.6-plus: in_cached 0.40625 (write), out_cached 0.
        AssertPrices(Prices("openrouter", "qwen/qwen3.6-plus"), 0.325, 1.95, null, 0.40625);
        // A ":free" model costs nothing; a model priced 0 without saying free is unknown.
        AssertPrices(Prices("openrouter", "openai/gpt-oss-20b:free"), 0, 0, 0, 0);
        AssertPrices(Prices("openrouter", "stealth/ox-alpha"), null, null, null, null);
        Assert.Equal(ProviderTypes.OpenRouter, Provider("openrouter").Type);
    }

    [Fact]
    public void OpenAICompatibleFiles_MapTheirOwnWay()
    {
        // deepseek.json deepseek-v4-flash: in_cached 0.0028 (cache hit), out_cached 0.
        AssertPrices(Prices("deepseek", "deepseek-v4-flash"), 0.14, 0.28, 0.0028, null);
        // moonshot.json kimi-k2.5: in_cached 0.1; moonshot-v1-8k: both 0.
        AssertPrices(Prices("moonshot", "kimi-k2.5"), 0.6, 3, 0.1, null);
        AssertPrices(Prices("moonshot", "moonshot-v1-8k"), 0.2, 2, null, null);
        // xai.json grok-4.5: in_cached 0, out_cached 0.3.
        AssertPrices(Prices("xai", "grok-4.5"), 2, 6, 0.3, null);
        // groq.json kimi-k2: 0.5 in both columns.
        AssertPrices(Prices("groq", "moonshotai/kimi-k2-instruct-0905"), 1, 3, 0.5, null);
        // synthetic.json GLM-5.2: 0.16 in both columns.
        AssertPrices(Prices("synthetic", "hf:zai-org/GLM-5.2"), 1, 3, 0.16, null);
        // zai.json glm-5: in_cached 0.2, no out_cached; glm-5.3: in_cached 0, out_cached 0.26.
        AssertPrices(Prices("zai", "glm-5"), 1, 3.2, 0.2, null);
        AssertPrices(Prices("zai", "glm-5.3"), 1.4, 4.4, 0.26, null);
        // opencode-zen.json claude-sonnet-4-6: in_cached 0.3 (read), out_cached 3.75 (write); gpt-5.5: in_cached 0.5.
        AssertPrices(Prices("opencode-zen", "claude-sonnet-4-6"), 3, 15, 0.3, 3.75);
        AssertPrices(Prices("opencode-zen", "gpt-5.5"), 5, 30, 0.5, null);
        // fireworks.json: only out_cached, a read price.
        var fireworks = Provider("fireworks").Models.First();
        Assert.NotNull(fireworks.Prices!.CacheRead);
        Assert.Null(fireworks.Prices.CacheWrite);
        // cortecs.json is Catwalk type "openai" but not OpenAI: the compatible backend.
        Assert.Equal(ProviderTypes.OpenAICompatible, Provider("cortecs").Type);
        Assert.Equal(ProviderTypes.OpenAICompatible, Provider("deepseek").Type);
    }

    [Fact]
    public void OddFiles_CopiesAndSubscriptionsAreNotPrices()
    {
        // qiniucloud.json minimax-m2.5: in_cached 0.29 = input, out_cached 1.17 = output: copies, not cache prices.
        AssertPrices(Prices("qiniucloud", "minimax/minimax-m2.5"), 0.29, 1.17, null, null);
        // gemini.json gemini-3.7-flash: in_cached 0.075 (read), out_cached 3.75 = the output price (a copy).
        AssertPrices(Prices("gemini", "gemini-3.7-flash"), 0.75, 3.75, 0.075, null);
        AssertPrices(Prices("gemini", "gemini-2.5-pro"), 1.25, 10, 0.125, null);
        // azure.json gpt-5: 0.25 in both columns; Azure bills no cache writes.
        AssertPrices(Prices("azure", "gpt-5"), 1.25, 10, 0.25, null);
        // vercel.json minimax-m2.7-highspeed: in_cached 0.375 (write), out_cached 0.06 (read).
        AssertPrices(Prices("vercel", "minimax/minimax-m2.7-highspeed"), 0.6, 2.4, 0.06, 0.375);
        // copilot.json: a subscription, all 0.
        Assert.All(Provider("copilot").Models, m => AssertPrices(m.Prices!, null, null, null, null));
        // huggingface.json: priced routes keep input/output, unpriced ones are unknown.
        AssertPrices(Prices("huggingface", "moonshotai/Kimi-K3:fireworks-ai"), 3, 15, null, null);
        AssertPrices(Prices("huggingface", "thinkingmachines/Inkling:fireworks-ai"), null, null, null, null);
    }

    [Fact]
    public void Providers_GetPublicEndpoints_TypesAndSupport()
    {
        Assert.Equal("https://api.anthropic.com", Provider("anthropic").DefaultEndpoint);
        Assert.Equal("https://api.openai.com/v1", Provider("openai").DefaultEndpoint);
        Assert.Equal("ANTHROPIC_API_KEY", Provider("anthropic").ApiKeyEnv);
        Assert.Null(Provider("azure").DefaultEndpoint);
        Assert.Equal(("azure", true), (Provider("azure").Type, Provider("azure").IsSupported));
        Assert.Equal("https://bedrock-runtime.us-east-1.amazonaws.com", Provider("bedrock").DefaultEndpoint);
        Assert.Equal(("bedrock", true), (Provider("bedrock").Type, Provider("bedrock").IsSupported));
        foreach (var (id, type) in new[] { ("vercel", "vercel") })
        {
            Assert.Equal(type, Provider(id).Type);
            Assert.False(Provider(id).IsSupported);
            Assert.NotNull(Provider(id).Note);
        }
        // GitHub Copilot is served through the editor's Language Model API, not its HTTP endpoint.
        Assert.Equal(("vscode-lm", true, null), (Provider("copilot").Type, Provider("copilot").IsSupported, Provider("copilot").DefaultEndpoint));
        Assert.True(Provider("anthropic").IsSupported);
        Assert.Equal(("google", true, null), (Provider("gemini").Type, Provider("gemini").IsSupported, Provider("gemini").Note));
        // Any ACP agent: no endpoint, no key; the one model stands for the agent's own.
        Assert.Equal(("acp-agent", true, null), (Provider("acp-agent").Type, Provider("acp-agent").IsSupported, Provider("acp-agent").DefaultEndpoint));
        Assert.Equal(["agent"], Provider("acp-agent").Models.Select(m => m.Id));
        Assert.Equal(47, s_imported.Value.Count);
    }

    [Fact]
    public void BuiltIns_ClaudeCodeAliasesArePricedFromAnthropic_OllamaIsEmpty()
    {
        var claude = Provider("claude-code");
        Assert.Equal(ProviderTypes.ClaudeCode, claude.Type);
        Assert.Equal(["sonnet", "opus", "haiku"], claude.Models.Take(3).Select(m => m.Id));
        // anthropic.json lists newest first: sonnet -> claude-sonnet-5 (in 2, out 10), haiku -> claude-haiku-4-5 (in 1).
        Assert.Equal(Prices("anthropic", "claude-sonnet-5"), Prices("claude-code", "sonnet"));
        Assert.Equal(Prices("anthropic", "claude-haiku-4-5-20251001"), Prices("claude-code", "haiku"));
        Assert.Contains(claude.Models, m => m.Id == "claude-sonnet-4-6");

        var ollama = Provider("ollama");
        Assert.Equal(ProviderTypes.Ollama, ollama.Type);
        Assert.Equal("http://127.0.0.1:11434", ollama.DefaultEndpoint);
        Assert.Empty(ollama.Models);

        // A server of the user's own: no endpoint, no key, no models; the instance names the server, the server its models.
        foreach (var (id, type) in new[] { ("openai-compatible", ProviderTypes.OpenAICompatible), ("anthropic-compatible", ProviderTypes.Anthropic) })
        {
            var custom = Provider(id);
            Assert.Equal((type, true, null, null, 0), (custom.Type, custom.IsSupported, custom.DefaultEndpoint, custom.ApiKeyEnv, custom.Models.Count));
            Assert.True(custom.IsCustomEndpoint);
        }
        Assert.False(Provider("deepseek").IsCustomEndpoint);
    }

    [Fact]
    public void EveryImportedProvider_PassesTheValidator()
    {
        Assert.All(s_imported.Value, p => Assert.Empty(CatalogValidator.Validate(p)));
    }

    [Fact]
    public void CommittedCatalog_EqualsAFreshImport()
    {
        using var temp = new TempDir();
        CatwalkImporter.Run(RepoPaths.Catwalk, temp.Path, new List<string>());

        static string[] Names(string dir) => [.. Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => n != "README.md").Order(StringComparer.Ordinal)!];
        Assert.Equal(Names(temp.Path), Names(RepoPaths.Catalog));
        foreach (var name in Names(temp.Path))
        {
            var fresh = File.ReadAllText(Path.Combine(temp.Path, name));
            var committed = File.ReadAllText(Path.Combine(RepoPaths.Catalog, name));
            Assert.True(fresh == committed, $"catalog/{name} differs from a fresh import: run `dotnet run --project server -- catalog import {RepoPaths.Catwalk} catalog`");
        }
    }

    [Fact]
    public void Import_StopsOnAFileWithoutADecision()
    {
        using var temp = new TempDir();
        File.Copy(Path.Combine(RepoPaths.Catwalk, "deepseek.json"), Path.Combine(temp.Path, "newcomer.json"));
        var e = Assert.Throws<InvalidDataException>(() => CatwalkImporter.ConvertAll(temp.Path, new List<string>()));
        Assert.Contains("newcomer.json", e.Message);
    }

    [Theory]
    [InlineData(CachePriceLayout.ReadInInCached, 0.1, 0.2)]
    [InlineData(CachePriceLayout.NotPublished, 0.1, 0)]
    [InlineData(CachePriceLayout.CopiesOfBasePrices, 0.1, 4)]
    [InlineData(CachePriceLayout.ByMagnitude, 0.1, 0.2)]
    [InlineData(CachePriceLayout.ReadInEither, 0.1, 0.2)]
    public void MapPrices_RowBreakingItsLayout_StopsTheImport(CachePriceLayout layout, double inCached, double outCached)
    {
        var row = new CatwalkModel { Id = "m", CostPer1mIn = 1, CostPer1mOut = 4, CostPer1mInCached = inCached, CostPer1mOutCached = outCached };
        var e = Assert.Throws<InvalidDataException>(() => CatwalkImporter.MapPrices(row, layout, "x.json m"));
        Assert.Contains("x.json m", e.Message);
    }
}
