using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeAnthropicServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class AnthropicChatClientTests : IAsyncLifetime
{
    private readonly FakeAnthropicServer _fake = new();
    private AnthropicChatClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, _fake.Endpoint, "anthropic"), Http, "claude-sonnet-4-5");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Stream_Text_SendsTheMessagesRequestAndFoldsText()
    {
        _fake.EnqueueStream(TextReply("Hel", "lo", "!"));

        var (updates, folded) = await DrainAsync(_client, Hello(), new ChatOptions { MaxOutputTokens = 100, Temperature = 0.5f });

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/v1/messages"), (request.Method, request.Path));
        Assert.Equal(Key, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Null(request.Header("authorization"));
        Assert.Null(request.Header("anthropic-beta"));
        var body = request.Json;
        Assert.Equal("claude-sonnet-4-5", (string?)body["model"]);
        Assert.Equal(100, (int?)body["max_tokens"]);
        Assert.Equal(0.5, (double?)body["temperature"]);
        Assert.True((bool?)body["stream"]);
        Assert.Equal("Be brief.", (string?)body["system"]);
        Assert.Equal("""[{"role":"user","content":[{"type":"text","text":"Hi"}]}]""", body["messages"]!.ToJsonString());

        Assert.Equal("Hello!", folded.Text);
        Assert.Equal(ChatFinishReason.Stop, folded.FinishReason);
        Assert.Equal("msg_1", folded.ResponseId);
        Assert.Equal(3, updates.Count(u => u.Contents.OfType<TextContent>().Any()));
    }

    [Fact]
    public async Task Stream_AuthToken_IsSentAsABearer_AndNeverAsXApiKey_DiscoveryToo()
    {
        _fake.EnqueueStream(TextReply("ok"));
        var connection = Connection(ProviderTypes.Anthropic, _fake.Endpoint, "anthropic") with { Credential = Plue.Protocol.CredentialKind.AuthToken };

        await DrainAsync(new AnthropicChatClient(connection, Http, "claude-sonnet-4-5"), Hello());
        await new Plue.Providers.Discovery.ModelDiscovery(connection, Http).DiscoverAsync(CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
        Assert.All(_fake.Requests, r =>
        {
            Assert.Equal("Bearer " + Key, r.Header("authorization"));
            Assert.Null(r.Header("x-api-key"));
            Assert.Equal("2023-06-01", r.Header("anthropic-version"));
        });
    }

    [Fact]
    public async Task Stream_UserImage_IsSentAsABase64ImageSource_BesideTheText()
    {
        _fake.EnqueueStream(TextReply("A red pixel."));
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        var asked = new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(png, "image/png")]);

        await DrainAsync(_client, [asked], new ChatOptions());

        Assert.Equal($$$"""[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(png)}}}"}}]}]""",
            _fake.Requests.Single().Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_ThinkingWithSignatureAndRedacted_KeepsThemForTheRoundTrip()
    {
        _fake.EnqueueStream([MessageStart(), .. ThinkingBlock(0, "sig-abc", "Let me ", "think."), .. RedactedThinkingBlock(1, "opaque=="),
            .. TextBlock(2, "Answer"), MessageDelta(), MessageStop()]);
        var options = new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.ThinkingBudgetTokens] = 2048, [ProviderOptionKeys.AnthropicBeta] = "interleaved-thinking-2025-05-14" } };

        var (_, folded) = await DrainAsync(_client, Hello(), options);

        var request = _fake.Requests.Single();
        Assert.Equal("interleaved-thinking-2025-05-14", request.Header("anthropic-beta"));
        Assert.Equal("""{"type":"enabled","budget_tokens":2048}""", request.Json["thinking"]!.ToJsonString());
        var message = Assert.Single(folded.Messages);
        var reasoning = message.Contents.OfType<TextReasoningContent>().ToList();
        Assert.Equal("Let me think.", reasoning[0].Text);
        Assert.Equal("sig-abc", reasoning[0].ProtectedData);
        var redacted = reasoning.Single(r => r.AdditionalProperties?.ContainsKey(ProviderOptionKeys.RedactedThinking) == true);
        Assert.Equal("opaque==", redacted.ProtectedData);
        Assert.Equal("Answer", message.Text);

        // Sent back, the thinking keeps its signature and the redacted block its data.
        _fake.EnqueueStream(TextReply("ok"));
        await DrainAsync(_client, [.. Hello(), message, new ChatMessage(ChatRole.User, "more")]);
        var assistant = _fake.Requests[1].Json["messages"]![1]!;
        Assert.Equal("assistant", (string?)assistant["role"]);
        Assert.Equal("""{"type":"thinking","thinking":"Let me think.","signature":"sig-abc"}""", assistant["content"]![0]!.ToJsonString());
        Assert.Equal("""{"type":"redacted_thinking","data":"opaque=="}""", assistant["content"]![1]!.ToJsonString());
        Assert.Equal("""{"type":"text","text":"Answer"}""", assistant["content"]![2]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_ParallelToolCallsInFragments_AssemblesArgumentsAndSendsResultsBack()
    {
        _fake.EnqueueStream([MessageStart(), .. TextBlock(0, "Reading."), .. ToolUseBlock(1, "toolu_1", "read", "{\"pa", "th\": \"a.txt\"}"),
            .. ToolUseBlock(2, "toolu_2", "read", "", "{\"path\":\"b.txt\"}"), MessageDelta("tool_use", 30), MessageStop()]);
        var options = new ChatOptions { Tools = [Tool("read")], ToolMode = ChatToolMode.RequireAny };

        var (updates, folded) = await DrainAsync(_client, Hello(), options);

        var body = _fake.Requests.Single().Json;
        Assert.Equal("read", (string?)body["tools"]![0]!["name"]);
        Assert.Equal("object", (string?)body["tools"]![0]!["input_schema"]!["type"]);
        Assert.Equal("""{"type":"any"}""", body["tool_choice"]!.ToJsonString());
        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["toolu_1", "toolu_2"], calls.Select(c => c.CallId));
        Assert.Equal("a.txt", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        Assert.Equal("b.txt", ((JsonElement)calls[1].Arguments!["path"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);

        var history = new List<ChatMessage>(Hello());
        history.AddRange(folded.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("toolu_1", "A"), new FunctionResultContent("toolu_2", "B")]));
        _fake.EnqueueStream(TextReply("done"));
        await DrainAsync(_client, history, options);
        var sent = _fake.Requests[1].Json["messages"]!.AsArray();
        Assert.Equal(3, sent.Count);
        Assert.Equal("""{"type":"tool_use","id":"toolu_1","name":"read","input":{"path":"a.txt"}}""", sent[1]!["content"]![1]!.ToJsonString());
        Assert.Equal("user", (string?)sent[2]!["role"]);
        Assert.Equal("""[{"type":"tool_result","tool_use_id":"toolu_1","content":"A"},{"type":"tool_result","tool_use_id":"toolu_2","content":"B"}]""",
            sent[2]!["content"]!.ToJsonString());
        Assert.Single(updates, u => u.FinishReason is not null);
    }

    [Fact]
    public async Task Stream_Usage_IsCumulativeAndTotalInputIncludesCache()
    {
        _fake.EnqueueStream([MessageStart(input: 10, cacheWrite: 200, cacheRead: 3000), .. TextBlock(0, "x"), MessageDelta(output: 3),
            MessageDelta(output: 42), MessageStop()]);

        var (updates, folded) = await DrainAsync(_client, Hello());

        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Last().Details;
        Assert.Equal(3210, usage.InputTokenCount);
        Assert.Equal(42, usage.OutputTokenCount);
        Assert.Equal(3000, Extra(usage, ProviderUsage.CacheRead));
        Assert.Equal(200, Extra(usage, ProviderUsage.CacheWrite));
        Assert.Equal(3000, usage.CachedInputTokenCount);
        var billed = ProviderUsage.ToUsage(usage, UsageConvention.Anthropic);
        Assert.Equal(new Usage { Input = 10, Output = 42, CacheRead = 3000, CacheWrite = 200 }, billed);
        Assert.NotNull(folded.Usage);
        Assert.Equal("x", folded.Text);
    }

    [Fact]
    public async Task Stream_ToolResultsAndSystemRoles_AreMappedAndConsecutiveTurnsMerged()
    {
        _fake.EnqueueStream(TextReply("ok"));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "one"), new(ChatRole.User, "a"), new(ChatRole.User, "b"), new(ChatRole.System, "two"),
        ];

        await DrainAsync(_client, messages, new ChatOptions { Instructions = "zero" });

        var body = _fake.Requests.Single().Json;
        Assert.Equal("zero\n\none\n\ntwo", (string?)body["system"]);
        Assert.Equal("""[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]""", body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_FoldsTheStream()
    {
        _fake.EnqueueStream(TextReply("whole"));

        var response = await _client.GetResponseAsync(Hello());

        Assert.Equal("whole", response.Text);
        Assert.True((bool?)_fake.Requests.Single().Json["stream"]);
    }

    [Fact]
    public async Task Stream_ContextWindowExceededStop_IsAContextError()
    {
        _fake.EnqueueStream([MessageStart(), .. TextBlock(0, "partial"), MessageDelta("model_context_window_exceeded"), MessageStop()]);

        var (updates, error) = await DrainFailingAsync(_client);

        Assert.Equal(ProviderErrorKind.ContextTooLong, error.Kind);
        Assert.Equal("partial", Text(updates));
    }
}
