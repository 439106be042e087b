using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Discovery;
using Plue.Providers.Vertex;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// Vertex AI against one loopback server playing Google's token endpoint (it verifies the service account's RS256
/// signature with the public key, as Google does, and the claims) and the Vertex model endpoints.
/// </summary>
public sealed class VertexChatClientTests : IAsyncDisposable
{
    private const string AccessToken = "ya29.fake-ACCESS-token";
    private readonly RSA _key = RSA.Create(2048);
    private readonly LoopbackHttpServer _server = new();
    private readonly GoogleAccessTokens _tokens = new(TimeProvider.System, _ => null);
    private int _tokenCalls;

    public VertexChatClientTests()
    {
        _server.Handler = Route;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }

    private string ServiceAccountJson() => new JsonObject
    {
        ["type"] = "service_account", ["project_id"] = "proj-1", ["private_key_id"] = "kid-1",
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem(), ["client_email"] = "plue@proj-1.iam.gserviceaccount.com",
        ["token_uri"] = _server.Url + "/token",
    }.ToJsonString();

    private ProviderConnection Vertex(string? credential = null, string region = "us-east5") =>
        Connection(ProviderTypes.GoogleVertex, _server.Url, "vertexai") with { ApiKey = credential ?? ServiceAccountJson(), Project = "proj-1", Region = region };

    private FakeResponse Route(RecordedRequest request)
    {
        if (request.Path != "/token")
        {
            return request.Header("authorization") == "Bearer " + AccessToken ? _server.Next()
                : FakeResponse.Json(401, """{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}""");
        }
        Interlocked.Increment(ref _tokenCalls);
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        if (form["grant_type"] == "refresh_token")
            return form["refresh_token"] == "1//refresh" ? Token() : FakeResponse.Json(400, """{"error":"invalid_grant","error_description":"Bad Request"}""");
        var parts = form["assertion"].Split('.');
        var signed = _key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!;
        var claims = JsonNode.Parse(FromBase64Url(parts[1]))!;
        var good = signed && form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && (string?)header["alg"] == "RS256" && (string?)header["kid"] == "kid-1"
            && (string?)claims["iss"] == "plue@proj-1.iam.gserviceaccount.com" && (string?)claims["aud"] == _server.Url + "/token"
            && (string?)claims["scope"] == GoogleAccessTokens.Scope && (long)claims["exp"]! - (long)claims["iat"]! == 3600;
        return good ? Token() : FakeResponse.Json(400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""");
    }

    private static FakeResponse Token() => FakeResponse.Json(200, $$"""{"access_token":"{{AccessToken}}","expires_in":3599,"token_type":"Bearer"}""");

    private static byte[] FromBase64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));

    [Fact]
    public async Task Gemini_OnVertex_SignsInAsTheServiceAccount_CallsTheProjectsModel_AndReusesTheToken()
    {
        _server.Enqueue(FakeResponse.Stream("text/event-stream", FakeGeminiServer.TextReply("Hi ", "there")), FakeResponse.Stream("text/event-stream", FakeGeminiServer.TextReply("again")));
        var client = new VertexChatClient(Vertex(), Http, "gemini-2.5-flash", _tokens);

        var (_, first) = await DrainAsync(client, Hello());
        var (_, second) = await DrainAsync(client, Hello());

        Assert.Equal(("Hi there", "again"), (first.Text, second.Text));
        Assert.Equal(1, _tokenCalls); // cached until it expires
        var call = _server.Requests.Last();
        Assert.Equal(("POST", "/v1/projects/proj-1/locations/us-east5/publishers/google/models/gemini-2.5-flash:streamGenerateContent", "?alt=sse"),
            (call.Method, call.Path, call.Query));
        Assert.Null(call.Header("x-goog-api-key"));
        Assert.DoesNotContain("PRIVATE KEY", string.Concat(_server.Requests.Select(r => r.Body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claude_OnVertex_IsAnthropicsWireWithTheVersionInTheBodyAndTheDatedIdWithAnAt()
    {
        _server.Enqueue(FakeResponse.Stream("text/event-stream", FakeAnthropicServer.TextReply("Bonjour")));

        var (_, folded) = await DrainAsync(new VertexChatClient(Vertex(), Http, "claude-sonnet-4-5-20250929", _tokens), Hello(), new ChatOptions { MaxOutputTokens = 64 });

        Assert.Equal("Bonjour", folded.Text);
        var call = _server.Requests.Last();
        Assert.Equal("/v1/projects/proj-1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict", call.Path);
        Assert.Equal(("vertex-2023-10-16", null, 64), ((string?)call.Json["anthropic_version"], call.Json["model"], (int?)call.Json["max_tokens"]));
        Assert.Null(call.Header("x-api-key"));
    }

    [Fact]
    public async Task Trickle_OnVertex_EndsTheAnswerAtTheStallTimeout()
    {
        _server.Enqueue(StallTimeoutTests.Trickle("text/event-stream", [.. FakeGeminiServer.TextReply("partial ", "end").Select(Encoding.UTF8.GetBytes)]));

        var (updates, error) = await DrainFailingAsync(new VertexChatClient(Vertex() with { InstanceName = "Vertex", StallTimeoutMs = 1_000 }, Http, "gemini-2.5-flash", _tokens));

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("No complete chunk for 1 s from Vertex", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationDefaultCredentials_OfAUser_ExchangeTheirRefreshToken()
    {
        var dir = Directory.CreateTempSubdirectory("plue-adc-");
        try
        {
            var file = Path.Combine(dir.FullName, "adc.json");
            File.WriteAllText(file, $$"""{"type":"authorized_user","client_id":"cid","client_secret":"csecret","refresh_token":"1//refresh","token_uri":"{{_server.Url}}/token"}""");
            var tokens = new GoogleAccessTokens(TimeProvider.System, name => name == "GOOGLE_APPLICATION_CREDENTIALS" ? file : null);
            _server.Enqueue(FakeResponse.Stream("text/event-stream", FakeGeminiServer.TextReply("ok")));

            var (_, folded) = await DrainAsync(new VertexChatClient(Vertex() with { ApiKey = null }, Http, "gemini-2.5-flash", tokens), Hello());

            Assert.Equal("ok", folded.Text);
            Assert.Contains("refresh_token=1%2F%2Frefresh", _server.Requests.First().Body, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BadCredentials_AreABadKey_ThatSaysWhatToDo_AndNeverQuotesTheSecret()
    {
        var notJson = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(new VertexChatClient(Vertex("sk-not-a-file-SECRET"), Http, "gemini-2.5-flash", _tokens), Hello()));
        Assert.Equal(ProviderErrorKind.BadKey, notJson.Kind);
        Assert.Contains("service account", notJson.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", notJson.Message, StringComparison.Ordinal);

        using var other = RSA.Create(2048);
        var forged = ServiceAccountJson().Replace(JsonEncodedText.Encode(_key.ExportPkcs8PrivateKeyPem()).ToString(), JsonEncodedText.Encode(other.ExportPkcs8PrivateKeyPem()).ToString());
        var refused = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(new VertexChatClient(Vertex(forged) with { MaxAttempts = 1 }, Http, "gemini-2.5-flash", _tokens), Hello()));
        Assert.Contains("invalid_grant", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", refused.Message, StringComparison.Ordinal);

        var none = new GoogleAccessTokens(TimeProvider.System, _ => null);
        var missing = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(new VertexChatClient(Vertex() with { ApiKey = null }, Http, "gemini-2.5-flash", none), Hello()));
        Assert.Contains("gcloud auth application-default login", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Urls_RegionGetsItsOwnHost_GlobalStaysGlobal_AProjectIsRequired()
    {
        var regional = Vertex() with { Endpoint = VertexAI.GlobalHost, Region = "europe-west1" };
        Assert.Equal("https://europe-west1-aiplatform.googleapis.com/v1/projects/proj-1/locations/europe-west1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            VertexAI.GeminiUrl(regional, VertexAI.GlobalHost, "gemini-2.5-pro"));
        Assert.Equal("https://aiplatform.googleapis.com/v1/projects/proj-1/locations/global/publishers/anthropic/models/claude-opus-4-6:streamRawPredict",
            VertexAI.AnthropicUrl(regional with { Region = null }, VertexAI.GlobalHost, "claude-opus-4-6"));
        var noProject = Assert.Throws<ProviderException>(() => VertexAI.GeminiUrl(regional with { Project = null }, VertexAI.GlobalHost, "gemini-2.5-pro"));
        Assert.Contains("project", noProject.Message, StringComparison.Ordinal);
    }
}
