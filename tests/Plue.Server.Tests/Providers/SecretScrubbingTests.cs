using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.ClaudeCode;
using Plue.Providers.Vertex;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// The provider layer's one redaction point: whatever a backend streams or throws leaves without any secret the
/// connection used (its key, its endpoint's password, tokens derived on the way), in any form, even split across chunks.
/// </summary>
public sealed class SecretScrubbingTests
{
    private const string Key = "sk-scrub/test+key=0123456789";
    private const string Derived = "ya29.derived-access-token-0123456789";

    private static ProviderConnection Connection() =>
        ProviderTestKit.Connection(ProviderTypes.OpenAI, "https://user:url-password-0123@127.0.0.1:9/v1", "openai") with { ApiKey = Key };

    /// <summary>A stand-in backend: streams the given updates (or text deltas), then throws what it is given, else finishes (if told to).</summary>
    private sealed class Scripted(IReadOnlyList<ChatResponseUpdate> updates, Exception? failure = null, bool finish = true) : IChatClient
    {
        public Scripted(IReadOnlyList<string> deltas, Exception? failure = null)
            : this([.. deltas.Select(d => new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(d)]))], failure)
        {
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in updates)
            {
                await Task.Yield();
                yield return update;
            }
            if (failure is not null) throw failure;
            if (finish) yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static async Task<string> StreamedTextAsync(IChatClient client)
    {
        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")])) text.Append(update.Text);
        return text.ToString();
    }

    [Fact]
    public async Task Stream_SecretsSplitAcrossChunks_AreScrubbedAndTheRestKept()
    {
        var connection = Connection();
        connection.Secrets.Add(Derived);
        var echo = $"key {Key} json {Key.Replace("/", "\\/", StringComparison.Ordinal)} b64 {Convert.ToBase64String(Encoding.UTF8.GetBytes(Key))} "
            + $"url {Uri.EscapeDataString(Key)} token {Derived} password url-password-0123 end";
        // Three characters a chunk: every secret is split, many at different offsets.
        var deltas = Enumerable.Range(0, (echo.Length + 2) / 3).Select(i => echo.Substring(i * 3, Math.Min(3, echo.Length - i * 3))).ToList();

        var text = await StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(deltas), connection));

        Assert.Equal("key *** json *** b64 *** url *** token *** password *** end", text);
    }

    [Fact]
    public async Task Stream_EndingWithTheStartOfASecret_KeepsThatText()
    {
        // Held back in case the key followed; the stream ended, so it is shown as it came.
        var text = await StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["the answer is sk-scr"]), Connection()));

        Assert.Equal("the answer is sk-scr", text);
    }

    [Fact]
    public async Task Failure_EchoingADerivedToken_IsScrubbed_KeepingItsKind()
    {
        var connection = Connection();
        connection.Secrets.Add(Derived);
        var failure = new ProviderException(ProviderErrorKind.BadKey, $"rejected Bearer {Derived}", status: 401, requestId: "req-1");

        var error = await Assert.ThrowsAsync<ProviderException>(() => StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], failure), connection)));

        Assert.Equal("rejected Bearer ***", error.Message);
        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.Equal(401, error.Status);
    }

    private static ChatResponseUpdate Update(params AIContent[] contents) => new(ChatRole.Assistant, contents);

    /// <summary>Every content the client let out, in order, as kind and text.</summary>
    private static async Task<List<string>> ContentsAsync(IChatClient client)
    {
        var seen = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            seen.AddRange(update.Contents.Select(c => c switch
            {
                TextContent t => "text:" + t.Text,
                TextReasoningContent r => $"reasoning:{r.Text}{(r.ProtectedData is null ? "" : "|" + r.ProtectedData)}",
                ErrorContent e => "error:" + e.Message,
                _ => c.GetType().Name,
            }));
        return seen;
    }

    [Fact]
    public async Task Stream_TextAndReasoningInterleaved_HeldEndsAreLetOutInOrder_BeforeWhatFollows()
    {
        // Each "sk-scr" could start the key, so it is held until the next content shows it does not.
        Scripted backend = new(
        [
            Update(new TextReasoningContent("plan sk-scr")),
            Update(new TextContent("answer ")),
            Update(new TextContent("is sk-scr")),
            Update(new UsageContent(new UsageDetails { InputTokenCount = 1 })),
            Update(new ErrorContent($"the provider echoed {Key} in an error")),
            Update(new TextReasoningContent("") { ProtectedData = "sig-1" }),
            Update(new TextContent("tail sk-scr")),
        ]);

        var seen = await ContentsAsync(new SecretScrubbingChatClient(backend, Connection()));

        Assert.Equal(["reasoning:plan ", "reasoning:sk-scr", "text:answer ", "text:is ", "text:sk-scr", "UsageContent", "error:the provider echoed *** in an error",
            "reasoning:|sig-1", "text:tail ", "text:sk-scr"], seen);
    }

    [Fact]
    public async Task Stream_EndingWithoutAFinish_LetsOutHeldTextAndReasoning()
    {
        Scripted backend = new([Update(new TextContent("text sk-scr")), Update(new TextReasoningContent("thought url-pass"))], finish: false);

        var seen = await ContentsAsync(new SecretScrubbingChatClient(backend, Connection()));

        Assert.Equal(["text:text ", "text:sk-scr", "reasoning:thought ", "reasoning:url-pass"], seen);
    }

    [Fact]
    public async Task Failure_OfTheCli_IsScrubbedInEveryField_KeepingTheRest()
    {
        var failure = new ClaudeCodeException($"the CLI failed with {Key}")
        {
            ResultSubtype = "error_during_execution",
            ResultText = $"API Error: 401 invalid x-api-key {Key}",
            ApiErrorStatus = 401,
            ExitCode = 1,
            StderrTail = $"ANTHROPIC_API_KEY={Key}",
        };

        var error = await Assert.ThrowsAsync<ClaudeCodeException>(() => StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], failure), Connection())));

        Assert.NotSame(failure, error);
        Assert.Equal(("the CLI failed with ***", "API Error: 401 invalid x-api-key ***", "ANTHROPIC_API_KEY=***"), (error.Message, error.ResultText, error.StderrTail));
        Assert.Equal(("error_during_execution", 401, 1), (error.ResultSubtype, error.ApiErrorStatus, error.ExitCode));

        // Without a secret in it, still a copy (its fields may hold one); without a result or stderr, none is made up.
        var bare = await Assert.ThrowsAsync<ClaudeCodeException>(() => StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], new ClaudeCodeException("exited")), Connection())));
        Assert.Equal(("exited", null, null), (bare.Message, bare.ResultText, bare.StderrTail));
    }

    [Fact]
    public async Task Failure_OfAnotherKindEchoingTheKey_BecomesAScrubbedServerError_ACancellationStaysItself()
    {
        var odd = await Assert.ThrowsAsync<ProviderException>(() =>
            StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], new InvalidOperationException($"bad state near {Key}")), Connection())));
        Assert.Equal((ProviderErrorKind.ServerError, "bad state near ***"), (odd.Kind, odd.Message));

        var cancelled = new OperationCanceledException($"cancelled while sending {Key}");
        var same = await Assert.ThrowsAsync<OperationCanceledException>(() => StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], cancelled), Connection())));
        Assert.Same(cancelled, same);

        var plain = new InvalidOperationException("no secret here");
        Assert.Same(plain, await Assert.ThrowsAsync<InvalidOperationException>(() => StreamedTextAsync(new SecretScrubbingChatClient(new Scripted(["a"], plain), Connection()))));
    }

    [Fact]
    public async Task VertexToken_FromTheTokenEndpoint_IsScrubbedFromTheProvidersEcho()
    {
        // A real Vertex client against a loopback server: the token endpoint hands out a ya29 token, and the model's
        // endpoint echoes the request's headers in its error, as the tester's fake did.
        await using var server = new Fakes.LoopbackHttpServer
        {
            Handler = request => request.Path == "/token"
                ? Fakes.FakeResponse.Json(200, $$"""{"access_token":"{{Derived}}","expires_in":3600}""")
                : Fakes.FakeResponse.Json(401, "{\"error\":{\"code\":401,\"message\":\"bad header: " + request.Header("Authorization") + "\",\"status\":\"UNAUTHENTICATED\"}}"),
        };
        var credential = $$"""{"type":"authorized_user","client_id":"id-0123","client_secret":"client-secret-0123456789","refresh_token":"refresh-0123456789","token_uri":"{{server.Url}}/token"}""";
        var connection = ProviderTestKit.Connection(ProviderTypes.GoogleVertex, server.Url, "vertexai", maxAttempts: 1) with { ApiKey = credential, Project = "my-project-1", Region = "global" };
        var client = new SecretScrubbingChatClient(new VertexChatClient(connection, Http, "gemini-scrub", new GoogleAccessTokens(TimeProvider.System, _ => null)), connection);

        var error = await Assert.ThrowsAsync<ProviderException>(() => StreamedTextAsync(client));

        Assert.DoesNotContain("ya29", error.Message);
        Assert.Contains("bad header: Bearer ***", error.Message);
    }

    [Fact]
    public void EndpointPasswords_OfConnectionsAskedInTurn_AreEachTheirOwn()
    {
        // Each URL's password is parsed once and kept: connections asked in turn must not get another's.
        string[] urls = ["https://a:first-password-1@127.0.0.1:9/v1", "https://b:second-password-2@127.0.0.1:9/v1", "https://127.0.0.1:9/v1"];
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal("first-password-1", ProviderSecrets.UrlPassword(urls[0]));
            Assert.Equal("second-password-2", ProviderSecrets.UrlPassword(urls[1]));
            Assert.Null(ProviderSecrets.UrlPassword(urls[2]));
            Assert.Null(ProviderSecrets.UrlPassword(null));
        }
    }
}
