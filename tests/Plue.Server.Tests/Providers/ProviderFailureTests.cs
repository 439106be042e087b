using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Discovery;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// Failures off the main road: error bodies that are not the provider's JSON, a rate limit that outlasts the retries,
/// model lists that break off or stall, a server that answers in another format, and clients asked for what they lack.
/// </summary>
public sealed class ProviderFailureTests
{
    [Theory]
    [InlineData(502, "<html><body>Bad gateway</body></html>", ProviderErrorKind.ServerError, "<html><body>Bad gateway</body></html>")]
    [InlineData(400, "", ProviderErrorKind.BadRequest, "no details given")]
    [InlineData(400, """{"message":"temperature must be at most 2"}""", ProviderErrorKind.BadRequest, "temperature must be at most 2")]
    [InlineData(422, """{"detail":"model field required"}""", ProviderErrorKind.BadRequest, "model field required")]
    [InlineData(400, """["not","an","object"]""", ProviderErrorKind.BadRequest, """["not","an","object"]""")]
    [InlineData(400, """{"error":"the context length of 4096 was exceeded"}""", ProviderErrorKind.ContextTooLong, "context length of 4096")]
    [InlineData(403, """{"error":{"message":"quota","code":"insufficient_quota"}}""", ProviderErrorKind.NoCredit, "quota")]
    [InlineData(408, """{"error":{"message":"took too long","type":"timeout_error"}}""", ProviderErrorKind.Timeout, "took too long")]
    [InlineData(400, "{broken json", ProviderErrorKind.BadRequest, "{broken json")]
    public async Task HttpError_UnusualBodies_AreQuotedOrReadAndClassified(int status, string body, ProviderErrorKind kind, string quoted)
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(status, body, ("x-should-retry", "false"));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAICompatible, fake.Endpoint, maxAttempts: 2), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.Status);
        Assert.Contains(quoted, error.Message, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task HttpError_LongBody_IsCutAt300Characters()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(400, new string('e', 1000));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAICompatible, fake.Endpoint), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Contains(new string('e', 300) + "…", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('e', 301), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_OutlastingTheRetries_SaysWhenToRetryAndCarriesItOverRpc()
    {
        await using var fake = new FakeAnthropicServer();
        fake.Http.Handler = _ => FakeResponse.Json(429, FakeAnthropicServer.ErrorBody("rate_limit_error", "slow down"), ("retry-after", "0"), ("request-id", "req_429"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, maxAttempts: 2), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
        Assert.Contains("Retry in 0 s.", error.Message, StringComparison.Ordinal);
        var data = (JsonObject)JsonNode.Parse(error.ToRpcException().Detail!.Value.GetRawText())!;
        Assert.Equal("""{"kind":"rateLimited","status":429,"requestId":"req_429","retryAfterMs":0}""", data.ToJsonString());
    }

    [Fact]
    public async Task RateLimit_WithoutRetryAfter_SaysToWait()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(429, FakeOpenAIServer.ErrorBody("Rate limit reached", "requests"));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint, maxAttempts: 1), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Null(error.RetryAfter);
        Assert.Contains("Wait a little and retry.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_WithRetries_TriesEveryAttemptThenNamesTheEndpoint()
    {
        var endpoint = ProviderResilienceTests.DeadEndpoint();
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, endpoint, maxAttempts: 2, baseDelayMs: 1), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelList_CutMidBody_IsAStreamCutProbe()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => new FakeResponse { Steps = [new FakeStep("""{"object":"list","data":[{"id":"gpt""")], Cut = true };

        var probe = await ProviderProbe.TestAsync(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http);

        Assert.False(probe.Ok);
        Assert.Equal(ProviderErrorKind.StreamCut, probe.Kind);
    }

    [Fact]
    public async Task ModelList_StallingMidBody_IsAnIdleTimeout()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => new FakeResponse { Steps = [new FakeStep("""{"object":"list","data":[""")], HoldOpen = true };
        var discovery = new ModelDiscovery(Connection(ProviderTypes.OpenAI, fake.Endpoint, idleMs: 300), Http);

        var error = await Assert.ThrowsAsync<ProviderException>(() => discovery.DiscoverAsync(CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServerOfAnotherKind_SaysItAnsweredButNotAsThisProvider()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(200, "<html>a web page</html>");

        var probe = await ProviderProbe.TestAsync(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http);

        Assert.False(probe.Ok);
        Assert.Null(probe.Kind);
        Assert.Contains("answered, but not as a openai server", probe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_AnthropicPages_AreFollowedUntilHasMoreEnds()
    {
        await using var fake = new FakeAnthropicServer();
        fake.Http.Handler = request => request.Query.Contains("after_id=m2", StringComparison.Ordinal)
            ? FakeResponse.Json(200, """{"data":[{"type":"model","id":"m3","display_name":"Three"}],"has_more":false,"last_id":"m3"}""")
            : FakeResponse.Json(200, """{"data":[{"type":"model","id":"m1","display_name":"One"},{"type":"model","id":"m2"},{"id":""}],"has_more":true,"last_id":"m2"}""");

        var models = await new ModelDiscovery(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http).DiscoverAsync(CancellationToken.None);

        Assert.Equal(["m1", "m2", "m3"], models.Select(m => m.Id));
        Assert.Equal(["One", null, "Three"], models.Select(m => m.Name));
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Discovery_OllamaModelWhoseDetailsFail_StillListsWithAnUnknownWindow()
    {
        await using var fake = new FakeOllamaServer();
        fake.Http.Handler = request => request.Path switch
        {
            "/api/tags" => FakeResponse.Json(200, """{"models":[{"name":"broken:latest","model":"broken:latest"},{"name":"named-only"}]}"""),
            _ => FakeResponse.Json(404, """{"error":"model not found"}"""),
        };

        var models = await new ModelDiscovery(Connection(ProviderTypes.Ollama, fake.Endpoint, maxAttempts: 1), Http).DiscoverAsync(CancellationToken.None);

        Assert.Equal(["broken:latest", "named-only"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Null(m.ContextWindow));
    }

    [Fact]
    public async Task Cache_FailedBackgroundRefresh_KeepsTheStaleListAndTellsWhy()
    {
        var time = new ManualTime();
        var calls = 0;
        var cache = new ModelListCache((_, _) => ++calls == 1
            ? Task.FromResult<IReadOnlyList<DiscoveredModel>>([new DiscoveredModel("m1", "One")])
            : Task.FromException<IReadOnlyList<DiscoveredModel>>(new HttpRequestException("boom")), TimeSpan.FromMinutes(1), time);
        var connection = Connection(ProviderTypes.OpenAI, "http://127.0.0.1:1/v1");

        Assert.Single(await cache.GetAsync(connection, [], CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["m1"], (await cache.GetAsync(connection, [], CancellationToken.None)).Select(m => m.Id));

        var error = cache.LastError(connection.InstanceId);
        Assert.NotNull(error);
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_AskedForWhatTheyLack_SayWhat()
    {
        var connection = Connection(ProviderTypes.OpenAI, "http://127.0.0.1:9/v1");
        Assert.Throws<NotSupportedException>(() => ProviderClients.Create(connection with { ProviderType = ProviderTypes.ClaudeCode }, Http));
        Assert.Throws<ArgumentException>(() => ProviderClients.Create(connection with { Endpoint = null }, Http));
        var client = ProviderClients.Create(connection, Http);
        Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync(Hello()));

        Assert.Same(client, client.GetService(typeof(IChatClient)));
        Assert.Null(client.GetService(typeof(IChatClient), "keyed"));
        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal(ProviderTypes.OpenAI, metadata.ProviderName);
        Assert.Equal("http://127.0.0.1:9/v1", metadata.ProviderUri!.ToString());
        Assert.Null(client.GetService(typeof(string)));
        client.Dispose();
    }

    [Fact]
    public void RetryPolicy_Rules_AreTheSdks()
    {
        using var response = new HttpResponseMessage();
        Assert.True(RetryPolicy.IsRetryable(408, response.Headers));
        Assert.True(RetryPolicy.IsRetryable(409, response.Headers));
        Assert.False(RetryPolicy.IsRetryable(400, response.Headers));
        response.Headers.TryAddWithoutValidation("x-should-retry", "maybe");
        Assert.False(RetryPolicy.IsRetryable(404, response.Headers));
        response.Headers.TryAddWithoutValidation("retry-after", "soon");
        Assert.Null(RetryPolicy.ServerDelay(response.Headers, DateTimeOffset.UtcNow));
        Assert.InRange(RetryPolicy.Delay(20, 500, response.Headers).TotalMilliseconds, 6000, 8000);
    }

    [Fact]
    public void OllamaModelInfo_ReadsTheArchitecturesWindowOnly()
    {
        Assert.Null(OllamaModelInfo.Read(null));
        Assert.Null(OllamaModelInfo.Read(new Plue.Providers.Wire.OllamaShow { ModelInfo = new() }));
        var numeric = System.Text.Json.JsonDocument.Parse("""{"general.architecture":7}""").RootElement;
        Assert.Null(OllamaModelInfo.Read(new Plue.Providers.Wire.OllamaShow { ModelInfo = numeric.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) }));
        Assert.Equal("http://h:1", OllamaModelInfo.NativeBase("http://h:1/v1/"));
    }

    [Fact]
    public void Usage_ToUsage_BillsInTheProvidersConvention()
    {
        var details = ProviderUsage.Create(totalInput: 1000, output: 50, cacheRead: 600, cacheWrite: 100, reasoning: 20);

        var anthropic = ProviderUsage.ToUsage(details, UsageConvention.Anthropic);
        var openAI = ProviderUsage.ToUsage(details, UsageConvention.OpenAI);

        Assert.Equal((300L, 600L, 100L, 20L, 50L), (anthropic.Input, anthropic.CacheRead, anthropic.CacheWrite, anthropic.Reasoning, anthropic.Output));
        Assert.Equal(1000L, openAI.Input);
        Assert.Equal(0L, ProviderUsage.ToUsage(new UsageDetails(), UsageConvention.OpenAI).CacheRead);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.Parse("2026-01-01T00:00:00Z");

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
