using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
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

    /// <summary>A stand-in backend: streams the given text deltas, then throws what it is given (if anything).</summary>
    private sealed class Scripted(IReadOnlyList<string> deltas, Exception? failure = null) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var delta in deltas)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(delta)]);
            }
            if (failure is not null) throw failure;
            yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
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
}
