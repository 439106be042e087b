using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeOpenAIServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class OpenAIChatClientTests
{
    private static (OpenAIChatClient Client, FakeOpenAIServer Fake) Start(OpenAIFlavor flavor, string type = ProviderTypes.OpenAI)
    {
        var fake = new FakeOpenAIServer(flavor);
        return (new OpenAIChatClient(Connection(type, fake.Endpoint, type), Http, "gpt-test"), fake);
    }

    [Theory]
    [InlineData(OpenAIFlavor.Plain, ProviderTypes.OpenAI)]
    [InlineData(OpenAIFlavor.OpenRouter, ProviderTypes.OpenRouter)]
    [InlineData(OpenAIFlavor.OllamaV1, ProviderTypes.OpenAICompatible)]
    public async Task Stream_Text_SendsChatCompletionsAndFoldsText(OpenAIFlavor flavor, string type)
    {
        var (client, fake) = Start(flavor, type);
        await using var _ = fake;
        fake.EnqueueStream(TextReply("Hel", "lo"));

        var (_, folded) = await DrainAsync(client, Hello(), new ChatOptions { MaxOutputTokens = 64, StopSequences = ["END"] });

        var request = Assert.Single(fake.Requests);
        Assert.Equal(("POST", fake.BasePath + "/chat/completions"), (request.Method, request.Path));
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
        Assert.Null(request.Header("x-api-key"));
        Assert.Equal(flavor == OpenAIFlavor.OpenRouter ? "plue" : null, request.Header("x-title"));
        var body = request.Json;
        Assert.Equal("gpt-test", (string?)body["model"]);
        Assert.True((bool?)body["stream"]);
        Assert.Equal("""{"include_usage":true}""", body["stream_options"]!.ToJsonString());
        Assert.Equal(64, (int?)body[type == ProviderTypes.OpenAI ? "max_completion_tokens" : "max_tokens"]);
        Assert.Equal("""["END"]""", body["stop"]!.ToJsonString());
        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]""", body["messages"]!.ToJsonString());
        Assert.Equal("Hello", folded.Text);
        Assert.Equal(ChatFinishReason.Stop, folded.FinishReason);
        Assert.Equal("chatcmpl-1", folded.ResponseId);
    }

    [Fact]
    public async Task Stream_LongHistory_IsSentWholeWithItsLength()
    {
        // A long chat's request is written in pieces: every byte must arrive, in order, under one Content-Length,
        // whether a value spans two pieces, is larger than a piece, or is not ASCII.
        var (client, fake) = Start(OpenAIFlavor.Plain);
        await using var _ = fake;
        fake.EnqueueStream(TextReply("ok"));
        var history = new List<ChatMessage> { new(ChatRole.System, "Be brief.") };
        for (var i = 0; i < 6000; i++) history.Add(new(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"Message {i}: ünïcödé ✓ " + new string('x', i % 300)));
        var large = string.Concat(Enumerable.Repeat("0123456789\"\n", 30_000));
        // The user's words and an attached file: each its own paragraph, never glued together.
        history.Add(new(ChatRole.User, [new TextContent("Review this, please"), new TextContent("Attached file src/app.ts:\n```ts\nx\n```")]));
        history.Add(new(ChatRole.User, [new TextContent("Look:"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]));
        history.Add(new(ChatRole.User, large));

        await DrainAsync(client, history);

        var request = Assert.Single(fake.Requests);
        Assert.Null(request.Header("transfer-encoding"));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(request.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("content-length"));
        Assert.True(request.Body.Length > 1_000_000, $"{request.Body.Length} bytes");
        var sent = request.Json["messages"]!.AsArray();
        Assert.Equal(history.Count, sent.Count);
        Assert.Equal("Message 5999: ünïcödé ✓ " + new string('x', 5999 % 300), (string?)sent[6000]!["content"]);
        Assert.Equal("Review this, please\n\nAttached file src/app.ts:\n```ts\nx\n```", (string?)sent[6001]!["content"]);
        Assert.Equal("""[{"type":"text","text":"Look:"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AQID"}}]""", sent[6002]!["content"]!.ToJsonString());
        Assert.Equal(large, (string?)sent[6003]!["content"]);
    }

    [Theory]
    [InlineData("reasoning")]
    [InlineData("reasoning_content")]
    public async Task Stream_ReasoningUnderEitherName_IsReasoningContent(string field)
    {
        var (client, fake) = Start(OpenAIFlavor.Plain, ProviderTypes.OpenAICompatible);
        await using var _ = fake;
        fake.EnqueueStream([Role(), Reasoning("Think", field), Reasoning("ing.", field), Content("Answer"), Finish("stop"), Usage(10, 20, reasoning: 15), Done()]);

        var (updates, folded) = await DrainAsync(client, Hello(), new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.ReasoningEffort] = "high" } });

        Assert.Equal("high", (string?)fake.Requests.Single().Json["reasoning_effort"]);
        var message = Assert.Single(folded.Messages);
        Assert.Equal("Thinking.", message.Contents.OfType<TextReasoningContent>().Single().Text);
        Assert.Equal("Answer", message.Text);
        Assert.Equal(15, UsageOf(updates).ReasoningTokenCount);
    }

    [Fact]
    public async Task Stream_ParallelToolCallsInFragments_AreAssembledByIndex()
    {
        var (client, fake) = Start(OpenAIFlavor.Plain);
        await using var _ = fake;
        fake.EnqueueStream([Role(), ToolCallStart(0, "call_a", "read"), ToolCallStart(1, "call_b", "grep", "{\"pat"), ToolCallArguments(0, "{\"path\":"),
            ToolCallArguments(1, "tern\":\"x\"}"), ToolCallArguments(0, "\"a.txt\"}"), Finish("tool_calls"), Usage(50, 20), Done()]);

        var (_, folded) = await DrainAsync(client, Hello(), new ChatOptions { Tools = [Tool("read"), Tool("grep")], ToolMode = ChatToolMode.RequireSpecific("read") });

        var body = fake.Requests.Single().Json;
        Assert.Equal("""{"type":"function","function":{"name":"read"}}""", body["tool_choice"]!.ToJsonString());
        Assert.Equal("grep", (string?)body["tools"]![1]!["function"]!["name"]);
        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal([("call_a", "read"), ("call_b", "grep")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("a.txt", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        Assert.Equal("x", ((JsonElement)calls[1].Arguments!["pattern"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
    }

    [Fact]
    public async Task Stream_OllamaV1WholeToolCallsAndSeparateFinish_AreFolded()
    {
        var (client, fake) = Start(OpenAIFlavor.OllamaV1, ProviderTypes.OpenAICompatible);
        await using var _ = fake;
        fake.EnqueueStream([WholeToolCalls(("call_1", "read", """{"path":"a"}"""), ("call_2", "read", """{"path":"b"}""")), Finish("tool_calls"), Usage(5, 6), Done()]);

        var (updates, folded) = await DrainAsync(client, Hello());

        Assert.Equal("/v1/chat/completions", fake.Requests.Single().Path);
        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal("b", ((JsonElement)calls[1].Arguments!["path"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
        Assert.Equal(5, UsageOf(updates).InputTokenCount);
    }

    [Fact]
    public async Task Stream_Usage_CachedInsidePromptAndReasoningInsideCompletion()
    {
        var (client, fake) = Start(OpenAIFlavor.Plain);
        await using var _ = fake;
        fake.EnqueueStream([Role(), Content("x"), Finish("stop"), Usage(prompt: 1000, completion: 300, cached: 800, reasoning: 200), Done()]);

        var (updates, folded) = await DrainAsync(client, Hello());

        var usage = UsageOf(updates);
        Assert.Equal((1000L, 300L, 800L, 200L), (usage.InputTokenCount!.Value, usage.OutputTokenCount!.Value, Extra(usage, ProviderUsage.CacheRead), Extra(usage, ProviderUsage.Reasoning)));
        Assert.Equal(new Usage { Input = 1000, Output = 300, CacheRead = 800, Reasoning = 200 }, ProviderUsage.ToUsage(usage, UsageConvention.OpenAI));
        Assert.Equal(1300, folded.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task Stream_HistoryWithToolCallsAndResults_IsSentInOpenAIShape()
    {
        var (client, fake) = Start(OpenAIFlavor.Plain);
        await using var _ = fake;
        fake.EnqueueStream(TextReply("ok"));
        List<ChatMessage> history =
        [
            new(ChatRole.User, "read both"),
            new(ChatRole.Assistant, [new TextReasoningContent("hidden"), new FunctionCallContent("c1", "read", new Dictionary<string, object?> { ["path"] = "a" }),
                new FunctionCallContent("c2", "read", new Dictionary<string, object?> { ["n"] = 2 })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "A"), new FunctionResultContent("c2", new JsonObject { ["x"] = 1 })]),
        ];

        await DrainAsync(client, history);

        Assert.Equal(
            """[{"role":"user","content":"read both"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"read","arguments":"{\u0022path\u0022:\u0022a\u0022}"}},{"id":"c2","type":"function","function":{"name":"read","arguments":"{\u0022n\u0022:2}"}}]},{"role":"tool","tool_call_id":"c1","content":"A"},{"role":"tool","tool_call_id":"c2","content":"{\u0022x\u0022:1}"}]""",
            fake.Requests.Single().Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_OpenRouterCommentLinesAndIntErrorMidStream_SkipsCommentsAndRaisesTheError()
    {
        var (client, fake) = Start(OpenAIFlavor.OpenRouter, ProviderTypes.OpenRouter);
        await using var _ = fake;
        fake.EnqueueStream([Role(), Comment("OPENROUTER PROCESSING"), Content("par"), Comment("OPENROUTER PROCESSING"), Content("tial"),
            ErrorFrame("Provider returned error", JsonValue.Create(502))]);

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Equal("partial", Text(updates));
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Equal(502, error.Status);
        Assert.Contains("Provider returned error", error.Message);
        Assert.Equal("/api/v1/chat/completions", fake.Requests.Single().Path);
    }

    [Fact]
    public async Task Stream_OpenAIErrorFrameMidStream_RaisesWithItsKind()
    {
        var (client, fake) = Start(OpenAIFlavor.Plain);
        await using var _ = fake;
        fake.EnqueueStream([Role(), Content("a"), ErrorFrame("This model's maximum context length is 8192 tokens", "context_length_exceeded", "invalid_request_error")]);

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Equal("a", Text(updates));
        Assert.Equal(ProviderErrorKind.ContextTooLong, error.Kind);
    }
}
