using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>Chats through the real host and RPC, answered by a loopback OpenAI server speaking the real wire format.</summary>
public sealed class ChatSessionTests : IAsyncLifetime
{
    private const string Key = "sk-test-chat-0123456789abcdef";
    private readonly TempDir _home = new();
    private readonly FakeOpenAIServer _fake = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;
    private string _sessionId = "";
    private string _instanceId = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_home.Path, "ws", "docs"));
        await File.WriteAllTextAsync(Path.Combine(_home.Path, "ws", "docs", "notes.md"), "The build uses make.");
        await File.WriteAllTextAsync(Path.Combine(_home.Path, "secret.txt"), "outside-the-workspace");
        (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_home.Path, "home"), Path.Combine(_home.Path, "ws"));
        var instance = await _rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback OpenAI", ["catalogProviderId"] = "openai", ["endpoint"] = _fake.Endpoint, ["apiKey"] = Key,
        });
        _instanceId = instance!["id"]!.GetValue<string>();
        var session = await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = _instanceId, ["modelId"] = "gpt-test", ["title"] = "Loopback", ["allowUnlisted"] = true });
        _sessionId = session!["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _fake.DisposeAsync();
        _home.Dispose();
    }

    private JsonObject Send(string text) => new() { ["sessionId"] = _sessionId, ["text"] = text };

    [Fact]
    public async Task Send_CallsTheChosenInstanceAndModel_StreamsDeltas_AndStoresTheAnswer()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Hel", "lo", "!"), FakeOpenAIServer.Usage(12, 3), FakeOpenAIServer.Done()]);

        var answer = (await _rpc.CallAsync("session/send", Send("Say hello")))!;

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal($"Bearer {Key}", request.Headers["authorization"]);
        Assert.Equal("gpt-test", request.Json!["model"]!.GetValue<string>());
        Assert.Contains(request.Json["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "user" && m["content"]!.ToJsonString().Contains("Say hello"));
        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal("Hello!", answer["parts"]![0]!["text"]!.GetValue<string>());
        var step = answer["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "step")!;
        Assert.Equal(12, step["usage"]!["input"]!.GetValue<long>());
        var deltas = _rpc.Notifications.Where(n => n["method"]!.GetValue<string>() == "session/partDelta").Select(n => n["params"]!["delta"]!.GetValue<string>());
        Assert.Equal("Hello!", string.Concat(deltas));

        var transcript = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant"], transcript.Select(m => m!["role"]!.GetValue<string>()));
        var session = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = _sessionId }))!;
        Assert.Equal(2, session["messageCount"]!.GetValue<int>());
        Assert.Equal("idle", session["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SecondTurn_SendsTheWholeConversation()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("First answer"), FakeOpenAIServer.Done()]);
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("Second answer"), FakeOpenAIServer.Done()]);
        await _rpc.CallAsync("session/send", Send("one"));
        await _rpc.CallAsync("session/send", Send("two"));

        var messages = _fake.Requests[1].Json!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Where(m => m!["role"]!.GetValue<string>() != "system").Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("First answer", messages.ToJsonString());
    }

    [Fact]
    public async Task Cancel_MidStream_KeepsThePartialText_MarkedCancelled()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight "), FakeOpenAIServer.Done()], TimeSpan.FromMilliseconds(150));
        var id = await _rpc.SendAsync("session/send", Send("count"));
        await _rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["delta"]!.GetValue<string>().Contains("two ", StringComparison.Ordinal));

        var cancelled = await _rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _sessionId });
        var answer = (await _rpc.ResultAsync(id))!;

        Assert.True(cancelled!["cancelled"]!.GetValue<bool>());
        Assert.Equal("cancelled", answer["status"]!.GetValue<string>());
        var text = answer["parts"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("one two ", text);
        Assert.DoesNotContain("eight", text);
        await _fake.Http.WaitForDisconnectAsync(TimeSpan.FromSeconds(5)); // the HTTP stream was closed, not left running
    }

    [Fact]
    public async Task Regenerate_EditAndFork_KeepEverything()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("v1"), FakeOpenAIServer.Done()]);
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("v2"), FakeOpenAIServer.Done()]);
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("edited answer"), FakeOpenAIServer.Done()]);
        await _rpc.CallAsync("session/send", Send("question"));

        var again = (await _rpc.CallAsync("session/regenerate", new JsonObject { ["sessionId"] = _sessionId }))!;
        Assert.Equal("v2", again["parts"]![0]!["text"]!.GetValue<string>());
        var messages = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal(_fake.Requests[0].Json!["messages"]!.ToJsonString(), _fake.Requests[1].Json!["messages"]!.ToJsonString());

        var userId = messages[0]!["id"]!.GetValue<string>();
        var edited = (await _rpc.CallAsync("session/editAndResend", new JsonObject { ["sessionId"] = _sessionId, ["messageId"] = userId, ["text"] = "better question" }))!;
        Assert.Equal("edited answer", edited["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("better question", _fake.Requests[2].Json!["messages"]!.ToJsonString());
        Assert.DoesNotContain("\"question\"", _fake.Requests[2].Json!["messages"]!.ToJsonString());

        var current = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]!.AsArray();
        var fork = (await _rpc.CallAsync("session/fork", new JsonObject { ["sessionId"] = _sessionId, ["messageId"] = current[0]!["id"]!.GetValue<string>() }))!;
        var forked = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = fork["id"]!.GetValue<string>() }))!["messages"]!.AsArray();
        Assert.Single(forked);
        Assert.Equal("better question", forked[0]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.EndsWith("(fork)", fork["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProviderError_IsStoredOnTheMessage_WithAClearText_AndNoKey()
    {
        _fake.Enqueue(FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key")));

        var answer = (await _rpc.CallAsync("session/send", Send("hi")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        var error = answer["error"]!.GetValue<string>();
        Assert.Contains("key", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, error);
        var session = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = _sessionId }))!;
        Assert.Equal("idle", session["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendToLlmHook_SendsWhatIsWrittenInUserMessage()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("from the hook"), FakeOpenAIServer.Done()]);
        var record = (await _rpc.CallAsync("codex/get", new JsonObject { ["id"] = _sessionId }))!;
        await _rpc.CallAsync("codex/update", new JsonObject { ["id"] = _sessionId, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["user_message"] = "via the field" } });

        var updated = await _rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/messageUpdated"
            && n["params"]!["message"]!["role"]!.GetValue<string>() == "assistant" && n["params"]!["message"]!["status"]!.GetValue<string>() == "complete");
        Assert.Equal("from the hook", updated["params"]!["message"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("via the field", _fake.Requests.Single().Json!["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task ContextFiles_FromTheWorkspace_AreSent_AndNothingOutsideIt()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("ok"), FakeOpenAIServer.Done()]);
        var record = (await _rpc.CallAsync("codex/get", new JsonObject { ["id"] = _sessionId }))!;
        await _rpc.CallAsync("codex/update", new JsonObject
        {
            ["id"] = _sessionId, ["version"] = record["version"]!.GetValue<long>(),
            ["fields"] = new JsonObject { ["context_files"] = new JsonArray("docs/notes.md", "../secret.txt") },
        });

        await _rpc.CallAsync("session/send", Send("how do I build?"));

        var sent = _fake.Requests.Single().Json!["messages"]!.ToJsonString();
        Assert.Contains("The build uses make.", sent);
        Assert.Contains("docs/notes.md", sent);
        Assert.DoesNotContain("outside-the-workspace", sent);
    }

    [Fact]
    public async Task Messages_InPages_LatestFirst_ThenEarlierBeforeTheOldestHeld_AndALimitBelowOneOrAboveTheMaximumIsRefused()
    {
        foreach (var answer in new[] { "a0", "a1", "a2" })
        {
            _fake.EnqueueStream([.. FakeOpenAIServer.TextReply(answer), FakeOpenAIServer.Done()]);
            await _rpc.CallAsync("session/send", Send("q" + answer[1]));
        }
        JsonObject Page(int limit, int? before = null)
        {
            var request = new JsonObject { ["id"] = _sessionId, ["limit"] = limit };
            if (before is { } seq) request["beforeSeq"] = seq;
            return request;
        }
        static string[] Texts(JsonNode page) => [.. page["messages"]!.AsArray().Select(m => m!["parts"]![0]!["text"]!.GetValue<string>())];

        var latest = (await _rpc.CallAsync("session/messages", Page(4)))!;
        Assert.Equal(["q1", "a1", "q2", "a2"], Texts(latest));
        Assert.True(latest["hasMore"]!.GetValue<bool>());
        var earlier = (await _rpc.CallAsync("session/messages", Page(4, latest["messages"]![0]!["seq"]!.GetValue<int>())))!;
        Assert.Equal(["q0", "a0"], Texts(earlier));
        Assert.False(earlier["hasMore"]!.GetValue<bool>());
        var whole = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!;
        Assert.Equal(6, whole["messages"]!.AsArray().Count);
        Assert.False(whole["hasMore"]!.GetValue<bool>());

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/messages", Page(0)));
        Assert.Equal(-32602, refused.Code);
        Assert.Contains("limit", refused.Message);
        var tooLarge = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/messages", Page(1001)));
        Assert.Equal(-32602, tooLarge.Code);
        Assert.Contains("at most 1000", tooLarge.Message);
        Assert.Contains("beforeSeq", tooLarge.Message);
    }

    [Fact]
    public async Task Message_ById_IsTheOneThePageHolds_AndAnotherChatsMessageIsNotFound()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("the answer"), FakeOpenAIServer.Done()]);
        await _rpc.CallAsync("session/send", Send("the question"));
        var page = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]!.AsArray();
        var answerId = page[1]!["id"]!.GetValue<string>();

        var one = (await _rpc.CallAsync("session/message", new JsonObject { ["sessionId"] = _sessionId, ["messageId"] = answerId }))!;
        Assert.Equal(page[1]!.ToJsonString(), one.ToJsonString());

        var other = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = _instanceId, ["modelId"] = "gpt-test", ["allowUnlisted"] = true }))!["id"]!.GetValue<string>();
        var elsewhere = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/message", new JsonObject { ["sessionId"] = other, ["messageId"] = answerId }));
        Assert.Equal(-33001, elsewhere.Code);
        Assert.Contains("belongs to another chat. Open the chat again", elsewhere.Message);
        var unknown = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/message", new JsonObject { ["sessionId"] = _sessionId, ["messageId"] = "no-such-message" }));
        Assert.Equal(-33001, unknown.Code);
    }

    [Fact]
    public async Task Send_WithAnImage_SendsItAsAnImageUrlDataUrl_AndKeepsItInTheTranscript()
    {
        _fake.EnqueueStream([.. FakeOpenAIServer.TextReply("A red pixel."), FakeOpenAIServer.Done()]);
        var png = Convert.ToBase64String(OnePixelPng);
        var request = Send("What is this?");
        request["attachments"] = new JsonArray(new JsonObject { ["kind"] = "image", ["path"] = "pixel.png", ["mimeType"] = "image/png", ["data"] = png });

        await _rpc.CallAsync("session/send", request);

        var user = _fake.Requests.Single().Json!["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "user")!;
        Assert.Equal($$$"""[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{png}}}"}}]""", user["content"]!.ToJsonString());
        var stored = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]![0]!["parts"]![1]!;
        Assert.Equal(("file", "image/png", png), (stored["kind"]!.GetValue<string>(), stored["mimeType"]!.GetValue<string>(), stored["content"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("image/svg+xml", 10, "PNG, JPEG, GIF or WebP")]
    [InlineData("image/png", 5 * 1024 * 1024 + 3, "limited to 5 MB")]
    public async Task Send_WithAnImageOfTheWrongTypeOrTooLarge_IsRefused_AndNothingIsStoredOrSent(string mimeType, int bytes, string reason)
    {
        var request = Send("look");
        request["attachments"] = new JsonArray(new JsonObject { ["kind"] = "image", ["path"] = "big.img", ["mimeType"] = mimeType, ["data"] = Convert.ToBase64String(new byte[bytes]) });

        var error = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/send", request));

        Assert.Equal(-32602, error.Code);
        Assert.Contains("big.img", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Empty(_fake.Requests);
        Assert.Empty((await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _sessionId }))!["messages"]!.AsArray());
    }

    [Fact]
    public async Task Session_SaysWhetherItsModelTakesImages_FromTheCatalog_AndAModelThatDoesNotIsSentNone()
    {
        var unknown = (await _rpc.CallAsync("session/get", new JsonObject { ["id"] = _sessionId }))!;
        Assert.Null(unknown["supportsAttachments"]);
        var instanceId = unknown["instanceId"]!.GetValue<string>();

        var vision = await _rpc.CallAsync("session/setModel", new JsonObject { ["id"] = _sessionId, ["instanceId"] = instanceId, ["modelId"] = "gpt-4o" });
        Assert.True(vision!["supportsAttachments"]!.GetValue<bool>());
        var textOnly = await _rpc.CallAsync("session/setModel", new JsonObject { ["id"] = _sessionId, ["instanceId"] = instanceId, ["modelId"] = "o3-mini" });
        Assert.False(textOnly!["supportsAttachments"]!.GetValue<bool>());

        var request = Send("What is this?");
        request["attachments"] = new JsonArray(new JsonObject { ["kind"] = "image", ["path"] = "pixel.png", ["mimeType"] = "image/png", ["data"] = Convert.ToBase64String(OnePixelPng) });
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _rpc.CallAsync("session/send", request));
        Assert.Equal(-32602, refused.Code);
        Assert.Contains("o3-mini does not take images", refused.Message);
        Assert.Empty(_fake.Requests);
    }

    /// <summary>A 1×1 red PNG.</summary>
    private static readonly byte[] OnePixelPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
}
