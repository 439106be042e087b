using System.Diagnostics;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;
using RetryPolicy = Plue.Providers.RetryPolicy;

namespace Plue.Tests.Providers;

/// <summary>Retries, timeouts, cut streams and cancellation: the behaviour every backend shares.</summary>
public sealed class ProviderResilienceTests
{
    private static string Overloaded => FakeAnthropicServer.ErrorBody("overloaded_error", "Overloaded");

    [Fact]
    public async Task Retry_RetryAfterMs_IsWaitedAndTheSameRequestResent()
    {
        await using var fake = new FakeAnthropicServer();
        fake.Enqueue(FakeResponse.Json(429, FakeAnthropicServer.ErrorBody("rate_limit_error", "slow"), ("retry-after-ms", "250")));
        fake.EnqueueStream(FakeAnthropicServer.TextReply("ok"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, baseDelayMs: 1), Http, "m");

        var clock = Stopwatch.StartNew();
        var (_, folded) = await DrainAsync(client, Hello());

        Assert.True(clock.ElapsedMilliseconds >= 240, $"retried after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("ok", folded.Text);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(fake.Requests[0].Body, fake.Requests[1].Body);
        Assert.Equal(Key, fake.Requests[1].Header("x-api-key"));
    }

    [Fact]
    public async Task Retry_RetryAfterSeconds_IsHonoured()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Enqueue(FakeResponse.Json(503, FakeOpenAIServer.ErrorBody("busy", "server_error"), ("retry-after", "0.2")));
        fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint, baseDelayMs: 1), Http, "gpt-test");

        var clock = Stopwatch.StartNew();
        var (_, folded) = await DrainAsync(client, Hello());

        Assert.True(clock.ElapsedMilliseconds >= 190, $"retried after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("ok", folded.Text);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Retry_529Then500ThenOk_UsesEveryAttempt()
    {
        await using var fake = new FakeAnthropicServer();
        fake.Enqueue(FakeResponse.Json(529, Overloaded), FakeResponse.Json(500, FakeAnthropicServer.ErrorBody("api_error", "boom")));
        fake.EnqueueStream(FakeAnthropicServer.TextReply("third time"));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, maxAttempts: 3), Http, "m");

        var (_, folded) = await DrainAsync(client, Hello());

        Assert.Equal("third time", folded.Text);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Retry_Exhausted_ReportsTheLastError()
    {
        await using var fake = new FakeAnthropicServer();
        fake.Enqueue(FakeResponse.Json(529, Overloaded), FakeResponse.Json(529, Overloaded), FakeResponse.Json(529, Overloaded, ("request-id", "req_last")));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, maxAttempts: 3), Http, "m");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.Overloaded, error.Kind);
        Assert.Equal("req_last", error.RequestId);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Theory]
    [InlineData(500, "false", 1)]
    [InlineData(400, "true", 2)]
    [InlineData(400, null, 1)]
    public async Task Retry_XShouldRetry_OverridesTheStatusRule(int status, string? shouldRetry, int expectedRequests)
    {
        await using var fake = new FakeAnthropicServer();
        var failure = FakeResponse.Json(status, FakeAnthropicServer.ErrorBody("api_error", "x"));
        if (shouldRetry is not null) failure = failure.WithHeaders(("x-should-retry", shouldRetry));
        fake.Enqueue(failure, failure);
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, maxAttempts: 2), Http, "m");

        await DrainFailingAsync(client);

        Assert.Equal(expectedRequests, fake.Requests.Count);
    }

    [Fact]
    public async Task Timeout_NoHeadersInTime_IsAFirstByteTimeout()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Enqueue(FakeResponse.Stream("text/event-stream", FakeOpenAIServer.TextReply("late")) with { HeaderDelay = TimeSpan.FromSeconds(30) });
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint, maxAttempts: 1, firstByteMs: 100), Http, "gpt-test");

        var clock = Stopwatch.StartNew();
        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("sent nothing within 0.1 s", error.Message);
        Assert.True(clock.ElapsedMilliseconds < 15_000, $"took {clock.ElapsedMilliseconds} ms"); // the headers would come at 30 s
    }

    [Fact]
    public async Task Timeout_HeadersButNoFirstChunk_IsAFirstByteTimeout()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(FakeAnthropicServer.TextReply("late"), gap: TimeSpan.FromSeconds(4));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, firstByteMs: 100), Http, "m");

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Empty(updates);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task Timeout_IdleGapMidStream_FiresAfterPartialContent()
    {
        await using var fake = new FakeOllamaServer();
        fake.Enqueue(new FakeResponse
        {
            ContentType = "application/x-ndjson",
            Steps = [new(FakeOllamaServer.Line("one ")), new(FakeOllamaServer.Line("two"), TimeSpan.FromMilliseconds(40)),
                new(FakeOllamaServer.Done(), TimeSpan.FromSeconds(4))],
        });
        // 0.5 s of silence against a 40 ms gap: a loaded machine that hands "two" over late does not make the gap a stall.
        var client = new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint, idleMs: 500), Http, "llama3.2:latest");

        // At most: timed from the last update, so the first call's connection and JIT do not count. At least: timed from
        // the request, since a loaded machine may hand the last update over late, but never before its bytes came.
        var updates = new List<ChatResponseUpdate>();
        var clock = new Stopwatch();
        var total = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hello()))
            {
                updates.Add(update);
                clock.Restart();
            }
        });

        Assert.Equal("one two", Text(updates));
        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.Contains("No complete chunk for 0.5 s", error.Message);
        Assert.True(total.ElapsedMilliseconds >= 540, $"the stall was called after {total.ElapsedMilliseconds} ms: before the 40 ms gap and 0.5 s of silence");
        Assert.InRange(clock.ElapsedMilliseconds, 0, 3000); // loose: the machine is shared; the data itself would come at 4 s
    }

    public static TheoryData<string> Backends => [ProviderTypes.Anthropic, ProviderTypes.OpenAI, ProviderTypes.Ollama];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Truncated_ConnectionClosedMidBody_IsStreamCutWithPartialContent(string type)
    {
        await using var fakes = new Fakes(type);
        fakes.Server.Enqueue(FakeResponse.Stream(fakes.ContentType, fakes.PartialText("par", "tial")) with { Cut = true });

        var (updates, error) = await DrainFailingAsync(fakes.Client);

        Assert.Equal("partial", Text(updates));
        Assert.Equal(ProviderErrorKind.StreamCut, error.Kind);
        Assert.Contains("stream cut", error.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Truncated_BodyEndsWithoutEndMarker_IsStreamCut(string type)
    {
        await using var fakes = new Fakes(type);
        fakes.Server.Enqueue(FakeResponse.Stream(fakes.ContentType, fakes.PartialText("only")));

        var (updates, error) = await DrainFailingAsync(fakes.Client);

        Assert.Equal("only", Text(updates));
        Assert.Equal(ProviderErrorKind.StreamCut, error.Kind);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Cancel_MidStream_StopsAtOnceAndClosesTheConnection(string type)
    {
        await using var fakes = new Fakes(type);
        fakes.Server.Enqueue(FakeResponse.Stream(fakes.ContentType, fakes.PartialText("first")) with { HoldOpen = true });
        using var cts = new CancellationTokenSource();

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in fakes.Client.GetStreamingResponseAsync(Hello(), cancellationToken: cts.Token))
            {
                if (update.Text == "first") cts.Cancel();
            }
        });

        Assert.True(clock.ElapsedMilliseconds < 15_000, $"took {clock.ElapsedMilliseconds} ms"); // held open: it would never end
        await fakes.Server.WaitForDisconnectAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, fakes.Server.Disconnects);
    }

    [Fact]
    public async Task Unreachable_ConnectionRefused_FailsFastWithTheEndpoint()
    {
        var endpoint = DeadEndpoint();
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, endpoint, maxAttempts: 1), Http, "m");

        var clock = Stopwatch.StartNew();
        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.Contains(endpoint, error.Message);
        Assert.True(clock.ElapsedMilliseconds < 10_000, $"took {clock.ElapsedMilliseconds} ms"); // not the OS's connect timeout
    }

    [Fact]
    public void RetryPolicy_ServerDelay_ReadsMsSecondsAndDatesUpTo60s()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        using var response = new HttpResponseMessage();
        var headers = response.Headers;
        Assert.Null(RetryPolicy.ServerDelay(headers, now));
        headers.TryAddWithoutValidation("retry-after", "Thu, 01 Jan 2026 00:00:30 GMT");
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ServerDelay(headers, now));
        headers.Remove("retry-after");
        headers.TryAddWithoutValidation("retry-after", "120");
        Assert.Null(RetryPolicy.ServerDelay(headers, now)); // over 60 s: ignored, backoff applies
        headers.TryAddWithoutValidation("retry-after-ms", "1500");
        Assert.Equal(TimeSpan.FromMilliseconds(1500), RetryPolicy.ServerDelay(headers, now));
        var backoff = RetryPolicy.Delay(3, 100, null);
        Assert.InRange(backoff.TotalMilliseconds, 300, 400);
    }

    internal static string DeadEndpoint()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>One backend's fake and client, with a partial text reply in its wire format.</summary>
    private sealed class Fakes : IAsyncDisposable
    {
        private readonly IAsyncDisposable _fake;

        public Fakes(string type)
        {
            Type = type;
            switch (type)
            {
                case ProviderTypes.Anthropic:
                    var anthropic = new FakeAnthropicServer();
                    (_fake, Server, ContentType) = (anthropic, anthropic.Http, "text/event-stream");
                    Client = new AnthropicChatClient(Connection(type, anthropic.Endpoint), Http, "m");
                    break;
                case ProviderTypes.OpenAI:
                    var openai = new FakeOpenAIServer();
                    (_fake, Server, ContentType) = (openai, openai.Http, "text/event-stream");
                    Client = new OpenAIChatClient(Connection(type, openai.Endpoint), Http, "gpt-test");
                    break;
                default:
                    var ollama = new FakeOllamaServer();
                    (_fake, Server, ContentType) = (ollama, ollama.Http, "application/x-ndjson");
                    Client = new OllamaChatClient(Connection(type, ollama.Endpoint), Http, "llama3.2:latest");
                    break;
            }
        }

        public string Type { get; }
        public LoopbackHttpServer Server { get; }
        public string ContentType { get; }
        public IChatClient Client { get; }

        /// <summary>Text deltas without the format's end marker.</summary>
        public IEnumerable<string> PartialText(params string[] deltas) => Type switch
        {
            ProviderTypes.Anthropic => [FakeAnthropicServer.MessageStart(), .. FakeAnthropicServer.TextBlock(0, deltas).SkipLast(1)],
            ProviderTypes.OpenAI => [FakeOpenAIServer.Role(), .. deltas.Select(FakeOpenAIServer.Content)],
            _ => deltas.Select(d => FakeOllamaServer.Line(d)),
        };

        public ValueTask DisposeAsync() => _fake.DisposeAsync();
    }
}
