using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Fakes.FakeOpenAIServer;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat whose instance names a fallback: an overload storm (past the instance's own retries) is answered by the
/// fallback and the message says who answered and who failed; a bad key, or an error after output was shown, is not.
/// </summary>
public sealed class FallbackTests : IAsyncLifetime
{
    private ChatWorld _world = null!;
    private readonly FakeOpenAIServer _spare = new();
    private string _spareId = "";
    private string _spareRef = "";

    public async Task InitializeAsync()
    {
        _world = await ChatWorld.StartAsync();
        var spare = (await _world.Rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Spare", ["catalogProviderId"] = "openai", ["endpoint"] = _spare.Endpoint, ["apiKey"] = "sk-spare-0123456789",
        }))!;
        _spareId = spare["id"]!.GetValue<string>();
        _spareRef = spare["ref"]!.GetValue<string>();
        var primary = (await _world.Rpc.CallAsync("instances/get", new JsonObject { ["id"] = _world.InstanceId }))!;
        // Two attempts 1 ms apart: the instance's own retries still run first, quickly.
        var updated = (await _world.Rpc.CallAsync("instances/update", new JsonObject
        {
            ["id"] = _world.InstanceId, ["version"] = primary["version"]!.GetValue<long>(),
            ["retry"] = new JsonObject { ["maxAttempts"] = 2, ["baseDelayMs"] = 1 },
            ["fallbacks"] = new JsonArray(new JsonObject { ["providerRef"] = spare["ref"]!.GetValue<string>(), ["modelId"] = "gpt-5-mini" }),
        }))!;
        Assert.Equal("gpt-5-mini", updated["fallbacks"]![0]!["modelId"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _spare.DisposeAsync();
    }

    [Fact]
    public async Task AnOverloadStorm_IsAnsweredByTheFallback_AndTheMessageSaysWhoAnsweredAndWhoFailed()
    {
        _world.Fake.Http.Handler = _ => FakeResponse.Json(529, ErrorBody("Overloaded", "overloaded_error"));
        _spare.EnqueueStream(TextReply("From ", "the spare"));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal("From the spare", answer["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal))); // its own retries ran first
        Assert.Equal("gpt-5-mini", _spare.Requests.Single(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Json["model"]!.GetValue<string>());
        Assert.Equal(_spareId, answer["instanceId"]!.GetValue<string>());
        var failed = Assert.Single(answer["fallbackFrom"]!.AsArray())!;
        Assert.Equal(_world.InstanceId, failed["instanceId"]!.GetValue<string>());
        Assert.Equal("Loopback OpenAI", failed["instanceName"]!.GetValue<string>());
        Assert.Equal("gpt-test", failed["modelId"]!.GetValue<string>());
        Assert.Contains("overloaded", failed["error"]!.GetValue<string>());
        // Priced as what answered: the spare's gpt-5-mini (12 in, 2 out).
        Assert.Equal("catalog", answer["costSource"]!.GetValue<string>());
        Assert.Equal((12 * 0.25m + 2 * 2m) / 1_000_000m, answer["costUsd"]!.GetValue<decimal>());

        // The stored transcript says the same after a reload.
        var stored = (await _world.MessagesAsync()).Last()!;
        Assert.Equal(_spareId, stored["instanceId"]!.GetValue<string>());
        Assert.Equal("Loopback OpenAI", stored["fallbackFrom"]![0]!["instanceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARateLimitPastItsRetries_FallsBackAlongTheChatsOwnChain_WhichReplacesTheInstances()
    {
        await _world.SetFieldsAsync(new JsonObject { ["fallbacks"] = new JsonArray(new JsonObject { ["provider_ref"] = _spareRef, ["model_id"] = "gpt-5-nano" }) });
        _world.Fake.Http.Handler = _ => FakeResponse.Json(429, ErrorBody("Rate limit reached", "rate_limit_error"));
        _spare.EnqueueStream(TextReply("Spare here"));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal("gpt-5-nano", _spare.Requests.Single(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Json["model"]!.GetValue<string>());
        Assert.Contains("rate", Assert.Single(answer["fallbackFrom"]!.AsArray())!["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FallbacksThatCannotTakeOver_AreSkipped_AndTheNextOneAnswers()
    {
        var agent = (await _world.Rpc.CallAsync("instances/create", new JsonObject { ["displayName"] = "Claude CLI", ["catalogProviderId"] = "claude-code" }))!;
        var own = (await _world.Rpc.CallAsync("instances/get", new JsonObject { ["id"] = _world.InstanceId }))!["ref"]!.GetValue<string>();
        // A removed instance, the chat's own instance and model again, an agent that runs its own tools, then the spare.
        await _world.SetFieldsAsync(new JsonObject
        {
            ["fallbacks"] = new JsonArray(
                new JsonObject { ["provider_ref"] = "codex://providers/removed-long-ago", ["model_id"] = "gpt-5" },
                new JsonObject { ["provider_ref"] = own, ["model_id"] = "gpt-test" },
                new JsonObject { ["provider_ref"] = agent["ref"]!.GetValue<string>(), ["model_id"] = "sonnet" },
                new JsonObject { ["provider_ref"] = _spareRef, ["model_id"] = "gpt-5-nano" }),
        });
        _world.Fake.Http.Handler = _ => FakeResponse.Json(529, ErrorBody("Overloaded", "overloaded_error"));
        _spare.EnqueueStream(TextReply("Spare here"));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal(_spareId, answer["instanceId"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal))); // its own retries only, not again as a fallback
        Assert.Single(answer["fallbackFrom"]!.AsArray());
    }

    [Fact]
    public async Task WhenEveryFallbackFailsToo_TheAnswerIsTheLastOnesError_NamingWhoFailedBefore()
    {
        var spare = (await _world.Rpc.CallAsync("instances/get", new JsonObject { ["id"] = _spareId }))!;
        await _world.Rpc.CallAsync("instances/update", new JsonObject
        {
            ["id"] = _spareId, ["version"] = spare["version"]!.GetValue<long>(), ["retry"] = new JsonObject { ["maxAttempts"] = 2, ["baseDelayMs"] = 1 },
        });
        // An environment instance whose key is not set is skipped; the spare is overloaded as well.
        await _world.SetFieldsAsync(new JsonObject
        {
            ["fallbacks"] = new JsonArray(
                new JsonObject { ["provider_ref"] = "env:no-such-provider", ["model_id"] = "gpt-5" },
                new JsonObject { ["provider_ref"] = _spareRef, ["model_id"] = "gpt-5-nano" }),
        });
        _world.Fake.Http.Handler = _ => FakeResponse.Json(529, ErrorBody("Overloaded", "overloaded_error"));
        _spare.Http.Handler = _ => FakeResponse.Json(529, ErrorBody("Spare overloaded", "overloaded_error"));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Contains("overloaded", answer["error"]!.GetValue<string>());
        Assert.Equal(2, _spare.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)));
        Assert.Equal((_spareId, "gpt-5-nano"), (answer["instanceId"]!.GetValue<string>(), answer["modelId"]!.GetValue<string>()));
        Assert.Equal(_world.InstanceId, Assert.Single(answer["fallbackFrom"]!.AsArray())!["instanceId"]!.GetValue<string>());
        Assert.Equal(2, (await _world.SessionAsync())["messageCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task ABadKey_DoesNotFallBack()
    {
        _world.Fake.Http.Handler = _ => FakeResponse.Json(401, ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Empty(_spare.Requests);
        Assert.Null(answer["fallbackFrom"]);
        Assert.Equal(_world.InstanceId, answer["instanceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOverloadAfterTheFirstDelta_DoesNotFallBack_TheTextShownIsKept()
    {
        _world.Fake.EnqueueStream([Role(), Content("Half an answ"), ErrorFrame("Overloaded", type: "overloaded_error")]);

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Hello")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Contains("overloaded", answer["error"]!.GetValue<string>());
        Assert.Equal("Half an answ", answer["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>());
        Assert.Empty(_spare.Requests);
        Assert.Null(answer["fallbackFrom"]);
    }
}
