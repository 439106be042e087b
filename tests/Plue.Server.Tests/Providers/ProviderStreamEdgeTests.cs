using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>The less common shapes of a stream: every finish reason, calls without index or id, long and unterminated lines, malformed chunks.</summary>
public sealed class ProviderStreamEdgeTests
{
    [Theory]
    [InlineData("max_tokens", "length")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "pause_turn")]
    public async Task Anthropic_StopReason_IsTheFinishReason(string stopReason, string expected)
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream([FakeAnthropicServer.MessageStart(), .. FakeAnthropicServer.TextBlock(0, "x"), FakeAnthropicServer.MessageDelta(stopReason), FakeAnthropicServer.MessageStop()]);

        var (_, folded) = await DrainAsync(new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "m"), Hello());

        Assert.Equal(expected, folded.FinishReason?.Value);
    }

    [Fact]
    public async Task Anthropic_TextInBlockStartAndUnknownEvents_TextIsKeptAndTheRestSkipped()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream(
        [
            FakeAnthropicServer.MessageStart(),
            FakeAnthropicServer.Frame("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"Hmm. ","signature":""}}"""),
            FakeAnthropicServer.Frame("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            FakeAnthropicServer.Frame("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":"Whole "}}"""),
            FakeAnthropicServer.Frame("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{}}}"""),
            FakeAnthropicServer.Frame("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"text."}}"""),
            FakeAnthropicServer.Frame("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            FakeAnthropicServer.Frame("future_event", """{"type":"future_event"}"""),
            "event: message_delta\nretry: 1000\nid: 7\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\n" +
            "data: \"usage\":{\"output_tokens\":4}}\n\n",
            FakeAnthropicServer.MessageStop(),
        ]);

        var (updates, folded) = await DrainAsync(new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "m"), Hello());

        Assert.Equal("Whole text.", folded.Text);
        Assert.Equal("Hmm. ", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Null(folded.FinishReason);
        Assert.Equal(4, UsageOf(updates).OutputTokenCount);
    }

    [Fact]
    public async Task Anthropic_MalformedEvent_FailsTheStreamAfterWhatArrived()
    {
        await using var fake = new FakeAnthropicServer();
        fake.EnqueueStream([FakeAnthropicServer.MessageStart(), .. FakeAnthropicServer.TextBlock(0, "partial"), "event: message_delta\ndata: {not json\n\n"]);
        var client = new AnthropicChatClient(Connection(ProviderTypes.Anthropic, fake.Endpoint), Http, "m");
        var updates = new List<ChatResponseUpdate>();

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hello())) updates.Add(update);
        });

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("sent a malformed chunk: an object that is not valid JSON ({not json)", error.Message);
        Assert.Equal("partial", Text(updates));
    }

    [Theory]
    [InlineData("length", "length")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("function_call", "tool_calls")]
    [InlineData("end_of_story", "end_of_story")]
    public async Task OpenAI_FinishReason_IsMapped(string finish, string expected)
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream([FakeOpenAIServer.Content("x"), FakeOpenAIServer.Finish(finish), FakeOpenAIServer.Done()]);

        var (_, folded) = await DrainAsync(new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http, "gpt-test"), Hello());

        Assert.Equal(expected, folded.FinishReason?.Value);
    }

    [Fact]
    public async Task OpenAI_CallsWithoutIndexIdOrFinish_AreAssembledAndFlushedAtTheEnd()
    {
        await using var fake = new FakeOpenAIServer();
        static string Calls(JsonObject call) => FakeOpenAIServer.Chunk(new JsonObject { ["tool_calls"] = new JsonArray(call) });
        fake.EnqueueStream(
        [
            Calls(new JsonObject { ["id"] = "call_a", ["function"] = new JsonObject { ["name"] = "read", ["arguments"] = "{\"path\":" } }),
            Calls(new JsonObject { ["function"] = new JsonObject { ["arguments"] = "\"a.txt\"}" } }),
            Calls(new JsonObject { ["index"] = 1, ["type"] = "function" }),
            Calls(new JsonObject { ["index"] = 1, ["function"] = new JsonObject { ["name"] = "list", ["arguments"] = new JsonObject { ["dir"] = "src" } } }),
            Calls(new JsonObject { ["index"] = 1, ["function"] = new JsonObject { ["arguments"] = 17 } }),
            FakeOpenAIServer.Data(new JsonObject { ["id"] = "chatcmpl-1", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0 }) }),
            "data: null\n\n",
            FakeOpenAIServer.Done(),
        ]);

        var (_, folded) = await DrainAsync(new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http, "gpt-test"), Hello());

        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["read", "list"], calls.Select(c => c.Name));
        Assert.Equal("call_a", calls[0].CallId);
        Assert.Equal("a.txt", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        Assert.StartsWith("call_", calls[1].CallId);
        Assert.Equal("src", ((JsonElement)calls[1].Arguments!["dir"]!).GetString());
        Assert.Null(folded.FinishReason);
    }

    [Fact]
    public async Task OpenAI_CallWithBadArguments_KeepsTheParseErrorOnTheCall()
    {
        await using var fake = new FakeOpenAIServer();
        fake.EnqueueStream([FakeOpenAIServer.ToolCallStart(0, "call_1", "read", "{\"path\": "), FakeOpenAIServer.Finish("tool_calls"), FakeOpenAIServer.Done()]);

        var (_, folded) = await DrainAsync(new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http, "gpt-test"), Hello());

        var call = Assert.Single(folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotNull(call.Exception);
        Assert.Equal(("call_1", "read"), (call.CallId, call.Name));
    }

    [Fact]
    public async Task OpenAI_LineLongerThanTheBuffer_IsReadWhole()
    {
        await using var fake = new FakeOpenAIServer();
        var big = new string('x', 70_000);
        fake.EnqueueStream([FakeOpenAIServer.Content(big), FakeOpenAIServer.Content("!"), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Done()]);

        var (_, folded) = await DrainAsync(new OpenAIChatClient(Connection(ProviderTypes.OpenAI, fake.Endpoint), Http, "gpt-test"), Hello());

        Assert.Equal(big + "!", folded.Text);
    }

    [Fact]
    public async Task Ollama_LastLineWithoutNewlineAndOtherDoneReasons_AreRead()
    {
        await using var fake = new FakeOllamaServer();
        var done = FakeOllamaServer.Done("unload").TrimEnd('\n');
        fake.EnqueueStream([FakeOllamaServer.Line("Hi"), "\n", done]);

        var (_, folded) = await DrainAsync(new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint), Http, "llama3.2:latest"), Hello());

        Assert.Equal("Hi", folded.Text);
        Assert.Equal("unload", folded.FinishReason?.Value);
    }

    [Fact]
    public async Task Ollama_ToolCallWithIdAndStringArguments_IsTakenAsSent()
    {
        await using var fake = new FakeOllamaServer();
        var line = new JsonObject
        {
            ["model"] = "llama3.2:latest", ["done"] = false,
            ["message"] = new JsonObject
            {
                ["role"] = "assistant", ["content"] = "",
                ["tool_calls"] = new JsonArray(
                    new JsonObject { ["id"] = "call_own", ["function"] = new JsonObject { ["name"] = "read", ["arguments"] = "{\"path\":\"a\"}" } },
                    new JsonObject { ["function"] = new JsonObject { ["name"] = "noop" } }),
            },
        }.ToJsonString() + "\n";
        fake.EnqueueStream([line, FakeOllamaServer.Done("length")]);

        var (_, folded) = await DrainAsync(new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint), Http, "llama3.2:latest"), Hello());

        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal("call_own", calls[0].CallId);
        Assert.Equal("a", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        Assert.Empty(calls[1].Arguments!);
        Assert.Equal(ChatFinishReason.Length, folded.FinishReason);
    }

    [Fact]
    public async Task Ollama_ModelWithoutAContextLength_IsAskedWithoutNumCtx()
    {
        await using var fake = new FakeOllamaServer();
        fake.Http.Handler = request => request.Path == "/api/show"
            ? FakeResponse.Json(200, """{"model_info":{"general.architecture":"phi","phi.block_count":32}}""")
            : fake.Http.Next();
        fake.EnqueueStream(FakeOllamaServer.TextReply("ok"));

        await DrainAsync(new OllamaChatClient(Connection(ProviderTypes.Ollama, fake.Endpoint), Http, "phi-" + Guid.NewGuid().ToString("N")), Hello());

        Assert.Equal("{}", fake.Requests.Single(r => r.Path == "/api/chat").Json["options"]!.ToJsonString());
    }
}
