using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>Every HTTP error status becomes one ProviderException of the right kind, with the request id and never the key.</summary>
public sealed class ProviderErrorTests
{
    [Theory]
    [InlineData(401, "authentication_error", "invalid x-api-key", ProviderErrorKind.BadKey)]
    [InlineData(403, "permission_error", "not allowed", ProviderErrorKind.BadKey)]
    [InlineData(402, "billing_error", "credit balance is too low", ProviderErrorKind.NoCredit)]
    [InlineData(400, "billing_error", "Your credit balance is too low", ProviderErrorKind.NoCredit)]
    [InlineData(404, "not_found_error", "model: claude-nope", ProviderErrorKind.ModelNotFound)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "invalid_request_error", "input length and max_tokens exceed context limit", ProviderErrorKind.ContextTooLong)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum size", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "invalid_request_error", "messages: field required", ProviderErrorKind.BadRequest)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ProviderErrorKind.RateLimited)]
    [InlineData(500, "api_error", "Internal server error", ProviderErrorKind.ServerError)]
    [InlineData(529, "overloaded_error", "Overloaded", ProviderErrorKind.Overloaded)]
    [InlineData(503, "api_error", "Service unavailable", ProviderErrorKind.Overloaded)]
    public async Task Anthropic_HttpError_MapsToKindWithRequestId(int status, string type, string message, ProviderErrorKind kind)
    {
        await using var fake = new FakeAnthropicServer();
        fake.Enqueue(FakeResponse.Json(status, FakeAnthropicServer.ErrorBody(type, message, "req_body_1"), ("request-id", "req_hdr_1"), ("retry-after", "7")));
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, "anthropic", maxAttempts: 1), Http, "m");

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Empty(updates);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.Status);
        Assert.Equal("req_hdr_1", error.RequestId);
        Assert.Contains(message, error.Message);
        Assert.Contains("request id req_hdr_1", error.Message);
        Assert.Equal(Key, Assert.Single(fake.Requests).Header("x-api-key"));
        if (kind == ProviderErrorKind.RateLimited)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
            Assert.Contains("Retry in 7 s", error.Message);
        }
    }

    [Theory]
    [InlineData(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-test-SECRET-1234567890.", ProviderErrorKind.BadKey)]
    [InlineData(402, "payment_required", null, "Insufficient credits", ProviderErrorKind.NoCredit)]
    [InlineData(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota", ProviderErrorKind.NoCredit)]
    [InlineData(429, "requests", "rate_limit_exceeded", "Rate limit reached", ProviderErrorKind.RateLimited)]
    [InlineData(404, "invalid_request_error", "model_not_found", "The model `gpt-9` does not exist", ProviderErrorKind.ModelNotFound)]
    [InlineData(400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 8192 tokens", ProviderErrorKind.ContextTooLong)]
    [InlineData(500, "server_error", null, "The server had an error", ProviderErrorKind.ServerError)]
    [InlineData(503, "server_error", null, "The engine is currently overloaded", ProviderErrorKind.Overloaded)]
    public async Task OpenAI_HttpError_MapsToKindWithRequestIdAndNoKey(int status, string type, string? code, string message, ProviderErrorKind kind)
    {
        await using var fake = new FakeOpenAIServer();
        fake.Enqueue(FakeResponse.Json(status, FakeOpenAIServer.ErrorBody(message, type, code), ("x-request-id", "req_oa_1")));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint, "openai", maxAttempts: 1), Http, "gpt-test");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(kind, error.Kind);
        Assert.Equal("req_oa_1", error.RequestId);
        Assert.Equal("Bearer " + Key, Assert.Single(fake.Requests).Header("authorization"));
        Assert.DoesNotContain("SECRET", error.Message);
    }

    [Fact]
    public async Task OpenAI_RejectedKey_NamesTheInstanceByItsName_WithOneFullStop()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key")));
        var connection = Connection(ProviderTypes.OpenAI, fake.Endpoint, "openai", maxAttempts: 1) with { InstanceId = "01a20246-5d1e-4c8f-9a3b-2f7c1e0d9b11", InstanceName = "Work OpenAI" };

        var (_, error) = await DrainFailingAsync(new OpenAIChatClient(connection, Http, "gpt-test"));

        Assert.Contains("Incorrect API key provided. Check the key of 'Work OpenAI'", error.Message);
        Assert.DoesNotContain("01a20246", error.Message);
        Assert.DoesNotContain("..", error.Message);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("base64 unpadded")]
    [InlineData("base64url")]
    [InlineData("Bearer base64")]
    [InlineData("Basic :key")]
    [InlineData("url-encoded")]
    [InlineData("url-encoded lower-case")]
    public async Task OpenAI_ErrorEchoingTheKeyInAnotherForm_ReachesNoMessage(string form)
    {
        const string key = "sk-test/SECRET+key=1234567890?";
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));
        var echoed = form switch
        {
            "base64" => base64,
            "base64 unpadded" => base64.TrimEnd('='),
            "base64url" => base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            "Bearer base64" => "Bearer " + base64,
            "Basic :key" => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + key)),
            "url-encoded" => Uri.EscapeDataString(key),
            _ => Uri.EscapeDataString(key).ToLowerInvariant(),
        };
        await using var fake = new FakeOpenAIServer();
        fake.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody($"Incorrect API key provided: {echoed}.", "invalid_request_error", "invalid_api_key")));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint, "openai", maxAttempts: 1) with { ApiKey = key }, Http, "gpt-test");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Contains("Incorrect API key provided: ", error.Message);
        Assert.Contains("***", error.Message);
        Assert.DoesNotContain(echoed, error.Message);
    }

    [Theory]
    [InlineData(401, ProviderErrorKind.BadKey)]
    [InlineData(402, ProviderErrorKind.NoCredit)]
    [InlineData(404, ProviderErrorKind.ModelNotFound)]
    [InlineData(429, ProviderErrorKind.RateLimited)]
    [InlineData(502, ProviderErrorKind.ServerError)]
    public async Task OpenRouter_IntErrorCodesInBody_MapToKind(int status, ProviderErrorKind kind)
    {
        await using var fake = new FakeOpenAIServer(OpenAIFlavor.OpenRouter);
        fake.Enqueue(FakeResponse.Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = "nope", ["metadata"] = new JsonObject() } }.ToJsonString()));
        var client = new OpenAIChatClient(Connection(ProviderTypes.OpenRouter, fake.Endpoint, "openrouter", maxAttempts: 1), Http, "x/y");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.Status);
    }

    [Theory]
    [InlineData(400, "invalid options", ProviderErrorKind.BadRequest)]
    [InlineData(404, "model \"x\" not found, try pulling it first", ProviderErrorKind.ModelNotFound)]
    [InlineData(500, "llama runner process has terminated", ProviderErrorKind.ServerError)]
    [InlineData(413, "request body too big", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "the prompt exceeds the context window", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "context too long for this runner", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "maximum context reached", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "too many tokens in the prompt", ProviderErrorKind.ContextTooLong)]
    [InlineData(400, "the context is fine but the options are not", ProviderErrorKind.BadRequest)]
    [InlineData(408, "the request took too long to arrive", ProviderErrorKind.Timeout)]
    [InlineData(504, "upstream gateway gave up", ProviderErrorKind.Timeout)]
    public async Task Ollama_HttpError_MapsToKind(int status, string message, ProviderErrorKind kind)
    {
        await using var fake = new FakeOllamaServer();
        fake.Enqueue(FakeResponse.Json(status, new JsonObject { ["error"] = message }.ToJsonString()));
        var client = new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint, "ollama", maxAttempts: 1), Http, "x");

        var (_, error) = await DrainFailingAsync(client, options: new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.NumCtx] = 2048 } });

        Assert.Equal(kind, error.Kind);
        Assert.Contains(message, error.Message);
        Assert.Equal("/api/chat", Assert.Single(fake.Requests).Path);
    }

    [Fact]
    public async Task Anthropic_ErrorEventMidStream_KeepsPartialContentAndMapsKind()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream([FakeAnthropicServer.MessageStart(), .. FakeAnthropicServer.TextBlock(0, "half"), FakeAnthropicServer.Error("overloaded_error", "Overloaded")]);
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint, "anthropic"), Http, "m");

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Equal("half", Text(updates));
        Assert.Equal(ProviderErrorKind.Overloaded, error.Kind);
        Assert.Single(fake.Requests); // never retried once streaming started
    }

    [Fact]
    public void ToRpcException_IsProviderErrorWithKindAndRequestId()
    {
        var error = new ProviderException(ProviderErrorKind.RateLimited, "slow down", 429, "req_9", TimeSpan.FromSeconds(3));

        var rpc = error.ToRpcException();

        Assert.Equal(PlueErrorCodes.ProviderError, rpc.Code);
        Assert.Equal("slow down", rpc.Message);
        Assert.Equal("""{"kind":"rateLimited","status":429,"requestId":"req_9","retryAfterMs":3000}""", rpc.Detail!.Value.GetRawText());
    }
}
