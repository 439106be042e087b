using System.Diagnostics;
using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Discovery;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class DiscoveryTests
{
    private static readonly IReadOnlyList<CatalogModel> s_catalog =
    [
        new() { Id = "gpt-test", Name = "GPT Test", Prices = new ModelPrices { Input = 1, Output = 2 } },
        new() { Id = "retired", Name = "Retired", ContextWindow = 8000 },
    ];

    [Fact]
    public async Task OpenAI_ListsModelsWithBearerAndMergesWithTheCatalog()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Models.Add("brand-new");

        var found = await new ModelDiscovery(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http).DiscoverAsync(CancellationToken.None);
        var merged = ModelDiscovery.Merge(found, s_catalog);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(("GET", "/v1/models"), (request.Method, request.Path));
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
        Assert.Equal(["gpt-test", "gpt-test-mini", "brand-new"], found.Select(m => m.Id));
        Assert.Equal(["gpt-test", "retired", "brand-new", "gpt-test-mini"], merged.Select(m => m.Id));
        Assert.Equal(1, merged[0].Prices!.Input);
        Assert.Null(merged[2].Prices); // discovered only: prices unknown, never 0
    }

    [Fact]
    public async Task Anthropic_ListsModelsWithItsHeaders()
    {
        await using var fake = new FakeAnthropicServer();

        var found = await new ModelDiscovery(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http).DiscoverAsync(CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(("GET", "/v1/models", "?limit=1000"), (request.Method, request.Path, request.Query));
        Assert.Equal(Key, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Equal(["claude-sonnet-4-5", "claude-haiku-4-5"], found.Select(m => m.Id));
    }

    [Fact]
    public async Task Ollama_ListsTagsWithContextLengthsFromShow()
    {
        await using var fake = new FakeOllamaServer();

        var found = await new ModelDiscovery(Connection(ProviderTypes.Ollama, fake.Endpoint + "/v1"), Http).DiscoverAsync(CancellationToken.None);

        Assert.Equal([("llama3.2:latest", 131072), ("qwen3:8b", 40960)], found.Select(m => (m.Id, m.ContextWindow ?? 0)));
        Assert.Equal("/api/tags", fake.Requests[0].Path);
        Assert.Equal(2, fake.Requests.Count(r => r.Method == "POST" && r.Path == "/api/show"));
    }

    [Fact]
    public async Task Cache_ServesFreshThenStaleWhileRefreshingInTheBackground()
    {
        var time = new ManualTime();
        var calls = 0;
        var release = new TaskCompletionSource();
        var cache = new ModelListCache(async (_, _) =>
        {
            var n = Interlocked.Increment(ref calls);
            if (n == 2) await release.Task;
            return [new DiscoveredModel("m" + n)];
        }, TimeSpan.FromMinutes(10), time);
        var connection = Connection(ProviderTypes.OpenAI, "http://unused");

        Assert.Equal(["gpt-test", "retired", "m1"], (await cache.GetAsync(connection, s_catalog, default)).Select(m => m.Id));
        Assert.Equal("m1", (await cache.GetAsync(connection, [], default)).Single().Id);
        Assert.Equal(1, calls);

        time.Now += TimeSpan.FromMinutes(11);
        Assert.Equal("m1", (await cache.GetAsync(connection, [], default)).Single().Id); // stale, served at once
        Assert.Equal("m1", (await cache.GetAsync(connection, [], default)).Single().Id); // one refresh at a time
        Assert.Equal(2, calls);
        release.SetResult();
        var clock = Stopwatch.StartNew();
        while ((await cache.GetAsync(connection, [], default)).Single().Id != "m2" && clock.ElapsedMilliseconds < 5000) await Task.Delay(10);
        Assert.Equal("m2", (await cache.GetAsync(connection, [], default)).Single().Id);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Cache_InstanceMovedToAnotherEndpointOrKey_IsListedAnew_NotServedTheOldServersList()
    {
        var time = new ManualTime();
        var asked = new List<string>();
        var cache = new ModelListCache((c, _) =>
        {
            lock (asked) asked.Add($"{c.Endpoint} {c.ApiKey}");
            return c.Endpoint == "http://refuses"
                ? throw new ProviderException(ProviderErrorKind.BadKey, "wrong key", 401)
                : Task.FromResult<IReadOnlyList<DiscoveredModel>>([new DiscoveredModel("on-" + new Uri(c.Endpoint!).Host)]);
        }, TimeSpan.FromMinutes(10), time);
        var first = Connection(ProviderTypes.OpenAI, "http://first") with { ApiKey = "key-one" };

        Assert.Equal("on-first", (await cache.GetAsync(first, [], default)).Single().Id);
        Assert.Equal("on-first", (await cache.GetAsync(first, [], default)).Single().Id);
        Assert.Equal("on-second", (await cache.GetAsync(first with { Endpoint = "http://second" }, [], default)).Single().Id);
        Assert.Equal("on-first", (await cache.GetAsync(first with { ApiKey = "key-two" }, [], default)).Single().Id);
        // A refusal is held for the place that refused, not for the one the instance is moved to next.
        var refusing = first with { Endpoint = "http://refuses" };
        await Assert.ThrowsAsync<ProviderException>(() => cache.GetAsync(refusing, [], default));
        await Assert.ThrowsAsync<ProviderException>(() => cache.GetAsync(refusing, [], default));
        Assert.Equal("on-first", (await cache.GetAsync(first, [], default)).Single().Id);

        Assert.Equal(["http://first key-one", "http://second key-one", "http://first key-two", "http://refuses key-one", "http://first key-one"], asked);
    }

    [Fact]
    public async Task Cache_KeepsEachListForTheNextSidecar_WhichServesItWithoutAsking_StaleOnesRefreshedBehind_AndOnlyForTheSamePlaceAndKey()
    {
        using var home = new TempDir();
        var time = new ManualTime();
        var calls = 0;
        Task<IReadOnlyList<DiscoveredModel>> Discover(ProviderConnection c, CancellationToken _)
        {
            var n = Interlocked.Increment(ref calls);
            return Task.FromResult<IReadOnlyList<DiscoveredModel>>([new DiscoveredModel("listed-" + n, "Listed", 64000)]);
        }
        ModelListCache NextSidecar() => new(Discover, TimeSpan.FromMinutes(10), time, new ModelListFile(() => home.Path));
        var connection = Connection(ProviderTypes.OpenAI, "http://unused") with { ApiKey = "sk-kept-list-0123456789" };
        var path = Path.Combine(home.Path, "model-lists.json");

        var first = NextSidecar();
        Assert.Equal("listed-1", (await first.GetAsync(connection, [], default)).Single().Id);
        Assert.False(first.IsRecalled(connection.InstanceId));
        await Polling.Eventually(() => File.Exists(path), "the list kept in the home");
        // Where and as whom it was listed is kept as a salted digest: the key is not in the file, which is the user's alone.
        Assert.DoesNotContain("sk-kept-list", await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        // A new sidecar is served the kept list (name and context window too) without asking the provider.
        var second = NextSidecar();
        var kept = (await second.GetAsync(connection, [], default)).Single();
        Assert.Equal(("listed-1", "Listed", 64000), (kept.Id, kept.Name, kept.ContextWindow));
        Assert.True(second.IsRecalled(connection.InstanceId));
        Assert.Equal(1, calls);

        // Dropped (a model it lacks was asked for), it is listed now, and not recalled again.
        second.DropRecalled(connection.InstanceId);
        Assert.Equal("listed-2", (await second.GetAsync(connection, [], default)).Single().Id);
        Assert.False(second.IsRecalled(connection.InstanceId));
        await Polling.Eventually(() => File.ReadAllText(path).Contains("listed-2", StringComparison.Ordinal), "the newer list kept");

        // Past its freshness, a kept list is served at once and refreshed behind.
        time.Now += TimeSpan.FromMinutes(11);
        var third = NextSidecar();
        Assert.Equal("listed-2", (await third.GetAsync(connection, [], default)).Single().Id);
        await Polling.Eventually(async () => (await third.GetAsync(connection, [], default)).Single().Id == "listed-3", "the refresh behind");
        await Polling.Eventually(() => File.ReadAllText(path).Contains("listed-3", StringComparison.Ordinal), "the refreshed list kept");

        // Another key or endpoint gets nothing from the file.
        Assert.Equal("listed-4", (await NextSidecar().GetAsync(connection with { ApiKey = "sk-another-key-99" }, [], default)).Single().Id);
        await Polling.Eventually(() => File.ReadAllText(path).Contains("listed-4", StringComparison.Ordinal), "the list kept for the other key");
        Assert.Equal("listed-5", (await NextSidecar().GetAsync(connection with { Endpoint = "http://elsewhere" }, [], default)).Single().Id);
        await Polling.Eventually(() => File.ReadAllText(path).Contains("listed-5", StringComparison.Ordinal), "the list kept for the other endpoint");

        // A damaged file costs a listing, and is written whole again.
        await File.WriteAllTextAsync(path, "{ not json");
        Assert.Equal("listed-6", (await NextSidecar().GetAsync(connection, [], default)).Single().Id);
        await Polling.Eventually(() => File.ReadAllText(path).Contains("listed-6", StringComparison.Ordinal), "the file written again");
        Assert.Equal("listed-6", (await NextSidecar().GetAsync(connection, [], default)).Single().Id);
        Assert.Equal(6, calls);
    }

    [Fact]
    public async Task Cache_ManyAskingAtOnceAnInstanceThatRefuses_ListItOnce_AndItsErrorIsKeptAWhile()
    {
        // Before: each of 20 chats created at once listed the models itself, with its retries, in a 429 storm (4 requests a chat).
        var time = new ManualTime();
        var calls = 0;
        var release = new TaskCompletionSource();
        var cache = new ModelListCache(async (_, _) =>
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            throw new ProviderException(ProviderErrorKind.RateLimited, "slow down", 429);
        }, TimeSpan.FromMinutes(10), time);
        var connection = Connection(ProviderTypes.OpenAI, "http://unused");

        var asking = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetAsync(connection, s_catalog, default))).ToList();
        await Task.Delay(100);
        release.SetResult();
        foreach (var ask in asking) Assert.Equal(ProviderErrorKind.RateLimited, (await Assert.ThrowsAsync<ProviderException>(() => ask)).Kind);
        Assert.Equal(1, calls);

        time.Now += ModelListCache.FailureHold - TimeSpan.FromSeconds(1);
        await Assert.ThrowsAsync<ProviderException>(() => cache.GetAsync(connection, s_catalog, default)); // still held: no request
        Assert.Equal(1, calls);
        time.Now += TimeSpan.FromSeconds(2);
        await Assert.ThrowsAsync<ProviderException>(() => cache.GetAsync(connection, s_catalog, default)); // past it: asked again
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(ProviderTypes.Anthropic, 2)]
    [InlineData(ProviderTypes.OpenAI, 2)]
    [InlineData(ProviderTypes.OpenRouter, 2)]
    [InlineData(ProviderTypes.Ollama, null)]
    public async Task Probe_Live_IsOkWithLatencyAndModelCount(string type, int? count)
    {
        await using var server = Server(type, out var endpoint);

        var result = await ProviderProbe.TestAsync(Connection(type, endpoint), Http);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(count, result.ModelCount);
        Assert.InRange(result.LatencyMs, 0, 5000);
        Assert.Equal(type == ProviderTypes.Ollama ? "/api/version" : type == ProviderTypes.Anthropic ? "/v1/models" : "/v1/models",
            server.Requests.Single().Path.Replace("/api/v1", "/v1"));
    }

    [Fact]
    public async Task Probe_BadKey_ReportsTheKindWithoutRetrying()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));

        var result = await ProviderProbe.TestAsync(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http);

        Assert.False(result.Ok);
        Assert.Equal(ProviderErrorKind.BadKey, result.Kind);
        Assert.Contains("Incorrect API key", result.Error);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData(ProviderTypes.Anthropic)]
    [InlineData(ProviderTypes.Ollama)]
    public async Task Probe_DeadEndpoint_IsAnErrorWithoutRetrying(string type)
    {
        var clock = Stopwatch.StartNew();

        // A first retry would wait at least 7.5 s (10 s less its jitter): ending before that means the probe did not retry.
        var result = await ProviderProbe.TestAsync(Connection(type, ProviderResilienceTests.DeadEndpoint(), maxAttempts: 5, baseDelayMs: 10_000), Http);

        Assert.False(result.Ok);
        Assert.Equal(ProviderErrorKind.Unreachable, result.Kind);
        Assert.True(clock.ElapsedMilliseconds < 7_000, $"took {clock.ElapsedMilliseconds} ms");
    }

    private static ServerHandle Server(string type, out string endpoint)
    {
        switch (type)
        {
            case ProviderTypes.Anthropic:
                var a = new FakeAnthropicServer();
                endpoint = a.Endpoint;
                return new ServerHandle(a, a.Http);
            case ProviderTypes.Ollama:
                var o = new FakeOllamaServer();
                endpoint = o.Endpoint;
                return new ServerHandle(o, o.Http);
            default:
                var f = new FakeOpenAIServer(type == ProviderTypes.OpenRouter ? OpenAIFlavor.OpenRouter : OpenAIFlavor.Plain);
                endpoint = f.Endpoint;
                return new ServerHandle(f, f.Http);
        }
    }

    private sealed record ServerHandle(IAsyncDisposable Fake, LoopbackHttpServer Http) : IAsyncDisposable
    {
        public IReadOnlyList<RecordedRequest> Requests => Http.Requests;
        public ValueTask DisposeAsync() => Fake.DisposeAsync();
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
