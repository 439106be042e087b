using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Discovery;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeGeminiServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class GeminiChatClientTests : IAsyncLifetime
{
    private readonly FakeGeminiServer _fake = new();
    private GeminiChatClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new GeminiChatClient(Connection(ProviderTypes.Google, _fake.Endpoint, "gemini"), Http, "gemini-2.5-flash");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Stream_Text_SendsTheStreamingRequestAndFoldsTextAndUsage()
    {
        _fake.EnqueueStream(TextReply("Hel", "lo", "!"));

        var (updates, folded) = await DrainAsync(_client, Hello(),
            new ChatOptions { MaxOutputTokens = 100, Temperature = 0.5f, TopP = 0.9f, StopSequences = ["END"] });

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "?alt=sse"), (request.Method, request.Path, request.Query));
        Assert.Equal(Key, request.Header("x-goog-api-key"));
        Assert.Null(request.Header("authorization"));
        var body = request.Json;
        Assert.Equal("""{"parts":[{"text":"Be brief."}]}""", body["systemInstruction"]!.ToJsonString());
        Assert.Equal("""[{"role":"user","parts":[{"text":"Hi"}]}]""", body["contents"]!.ToJsonString());
        Assert.Equal("""{"temperature":0.5,"topP":0.9,"maxOutputTokens":100,"stopSequences":["END"]}""", body["generationConfig"]!.ToJsonString());
        Assert.Null(body["model"]); // the model is in the path
        Assert.Equal("Hello!", folded.Text);
        Assert.Equal(ChatFinishReason.Stop, folded.FinishReason);
        Assert.Equal("gemini-2.5-flash", folded.ModelId);
        var usage = UsageOf(updates);
        Assert.Equal((7L, 3L), (usage.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public async Task Stream_ThinkingAndCachedUsage_AreReasoningPartsAndBilledOutput()
    {
        _fake.EnqueueStream([Chunk([Thought("Weighing "), Thought("options.")]), Chunk([Text("42")], "STOP", Usage(prompt: 100, candidates: 2, cached: 60, thoughts: 30))]);
        var options = new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.ThinkingBudgetTokens] = 1024 } };

        var (updates, folded) = await DrainAsync(_client, Hello(), options);

        Assert.Equal("""{"includeThoughts":true,"thinkingBudget":1024}""", _fake.Requests.Single().Json["generationConfig"]!["thinkingConfig"]!.ToJsonString());
        var message = Assert.Single(folded.Messages);
        Assert.Equal("Weighing options.", string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("42", folded.Text);
        var usage = UsageOf(updates);
        // promptTokenCount already holds the cached tokens; thinking is billed as output beside the candidates.
        Assert.Equal((100L, 32L, 60L, 30L), (usage.InputTokenCount, usage.OutputTokenCount, Extra(usage, ProviderUsage.CacheRead), Extra(usage, ProviderUsage.Reasoning)));
        var convention = CostCalculator.ConventionFor(ProviderTypes.Google)!.Value;
        var cost = CostCalculator.Compute(ProviderUsage.ToUsage(usage, convention), new Plue.Protocol.ModelPrices { Input = 1, Output = 10, CacheRead = 0.1 }, convention);
        Assert.Equal((40m * 1 + 32m * 10 + 60m * 0.1m) / 1_000_000m, cost);
    }

    [Fact]
    public async Task Stream_ReasoningEffort_IsAThinkingLevel()
    {
        _fake.EnqueueStream(TextReply("ok"));

        await DrainAsync(_client, Hello(), new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.ReasoningEffort] = "low" } });

        Assert.Equal("""{"includeThoughts":true,"thinkingLevel":"low"}""", _fake.Requests.Single().Json["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_FunctionCall_ComesWholeAndRoundTripsWithItsSignatureAndName()
    {
        _fake.EnqueueStream([Chunk([Call("read_file", """{"path":"a.txt"}""", signature: "sig-1")], "STOP", Usage(5, 4))]);
        var tools = new ChatOptions { Tools = [Tool("read_file")], ToolMode = ChatToolMode.RequireSpecific("read_file") };

        var (_, folded) = await DrainAsync(_client, Hello(), tools);

        var request = _fake.Requests.Single().Json;
        Assert.Equal("""[{"functionDeclarations":[{"name":"read_file","description":"test tool read_file","parametersJsonSchema":{"type":"object","properties":{"path":{"type":"string"}}}}]}]""",
            request["tools"]!.ToJsonString());
        Assert.Equal("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["read_file"]}}""", request["toolConfig"]!.ToJsonString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
        var call = Assert.Single(folded.Messages.Single().Contents.OfType<FunctionCallContent>());
        Assert.Equal(("read_file", "a.txt"), (call.Name, call.Arguments!["path"]!.ToString()));

        // The next turn sends the call back with its signature, and the result under the function's name.
        _fake.EnqueueStream(TextReply("It says hi."));
        List<ChatMessage> history = [.. Hello(), folded.Messages.Single(), new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "hi")])];
        await DrainAsync(_client, history, new ChatOptions { Tools = [Tool("read_file")] });

        Assert.Equal("""[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"functionCall":{"name":"read_file","args":{"path":"a.txt"}},"thoughtSignature":"sig-1"}]},{"role":"user","parts":[{"functionResponse":{"name":"read_file","response":{"result":"hi"}}}]}]""",
            _fake.Requests[1].Json["contents"]!.ToJsonString());
        Assert.Null(_fake.Requests[1].Json["toolConfig"]);
    }

    [Fact]
    public async Task Stream_UserImage_IsInlineData()
    {
        _fake.EnqueueStream(TextReply("A pixel."));
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

        await DrainAsync(_client, [new ChatMessage(ChatRole.User, [new TextContent("What?"), new DataContent(png, "image/png")])]);

        Assert.Equal($$$"""[{"role":"user","parts":[{"text":"What?"},{"inlineData":{"mimeType":"image/png","data":"{{{Convert.ToBase64String(png)}}}"}}]}]""",
            _fake.Requests.Single().Json["contents"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_CutBeforeAFinishReason_IsAStreamCutKeepingWhatArrived()
    {
        _fake.EnqueueStream([Chunk([Text("partial ")]), Chunk([Text("answer")])]);

        var (updates, error) = await DrainFailingAsync(_client);

        Assert.Equal(ProviderErrorKind.StreamCut, error.Kind);
        Assert.Equal("partial answer", Text(updates));
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("IMAGE_SAFETY", "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", "MALFORMED_FUNCTION_CALL")]
    public async Task Stream_FinishReason_IsReadAsItsKind_AnUnknownOneKeptAsItCame(string reason, string expected)
    {
        _fake.EnqueueStream([Chunk([Text("so far")], reason, Usage(3, 2))]);

        var (_, folded) = await DrainAsync(_client, Hello());

        Assert.Equal("so far", folded.Text);
        Assert.Equal(expected, folded.FinishReason?.Value);
    }

    [Fact]
    public async Task Stream_NoKey_SendsNoCredential_AndGeminisRefusalIsABadKey()
    {
        var keyless = new GeminiChatClient(Connection(ProviderTypes.Google, _fake.Endpoint, "gemini", maxAttempts: 1) with { ApiKey = null }, Http, "gemini-2.5-flash");

        var (_, error) = await DrainFailingAsync(keyless);

        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Header("x-goog-api-key"));
        Assert.Null(request.Header("authorization"));
        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
    }

    [Fact]
    public async Task Stream_CallWithoutIdOrArgs_UsageBeforeCandidates_FinishWithoutContent_FoldToAToolCall()
    {
        _fake.EnqueueStream([
            "data: {\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":1}}\r\n\r\n",
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"thought\":true},{\"functionCall\":{\"name\":\"list\"}}]},\"index\":0}]}\r\n\r\n",
            "data: {\"candidates\":[{\"finishReason\":\"STOP\",\"index\":0}]}\r\n\r\n",
        ]);

        var (updates, folded) = await DrainAsync(_client, Hello());

        var call = Assert.Single(folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "list", 0), (call.CallId, call.Name, call.Arguments!.Count));
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
        Assert.Equal("gemini-2.5-flash", folded.ModelId);
        Assert.Null(folded.ResponseId);
        var usage = UsageOf(updates);
        Assert.Equal((5L, 1L), (usage.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public async Task Stream_ErrorChunkMidStream_IsAnErrorOfItsKind_KeepingWhatArrived()
    {
        _fake.EnqueueStream([Chunk([Text("par")]), "data: {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}\r\n\r\n"]);

        var (updates, error) = await DrainFailingAsync(_client);

        Assert.Equal("par", Text(updates));
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Contains("Resource has been exhausted", error.Message);
    }

    [Fact]
    public async Task Stream_BlockedPrompt_SaysSoInWords()
    {
        _fake.EnqueueStream(["data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":4}}\r\n\r\n"]);

        var (_, error) = await DrainFailingAsync(_client);

        Assert.Contains("the prompt was blocked (SAFETY)", error.Message);
    }

    [Theory]
    [InlineData(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", ProviderErrorKind.BadKey)]
    [InlineData(403, "Permission denied on resource project", "PERMISSION_DENIED", ProviderErrorKind.BadKey)]
    [InlineData(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED", ProviderErrorKind.RateLimited)]
    [InlineData(404, "models/gemini-9 is not found for API version v1beta", "NOT_FOUND", ProviderErrorKind.ModelNotFound)]
    [InlineData(500, "An internal error has occurred.", "INTERNAL", ProviderErrorKind.ServerError)]
    [InlineData(503, "The model is overloaded. Please try again later.", "UNAVAILABLE", ProviderErrorKind.Overloaded)]
    public async Task HttpError_GoogleStatus_MapsToKindWithoutTheKey(int status, string message, string googleStatus, ProviderErrorKind kind)
    {
        _fake.Enqueue(FakeResponse.Json(status, ErrorBody(status, message, googleStatus)));
        var client = new GeminiChatClient(Connection(ProviderTypes.Google, _fake.Endpoint, "gemini", maxAttempts: 1), Http, "gemini-2.5-flash");

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal((kind, status), (error.Kind, error.Status));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Discovery_FollowsPagesAndKeepsOnlyChatModels_ProbeChecksTheKey()
    {
        var models = await new ModelDiscovery(Connection(ProviderTypes.Google, _fake.Endpoint, "gemini"), Http).DiscoverAsync(CancellationToken.None);

        Assert.Equal(["gemini-2.5-flash", "gemini-3-pro-preview"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal(1048576, m.ContextWindow));
        Assert.Contains("pageToken=p2", _fake.Requests[1].Query);

        var bad = await ProviderProbe.TestAsync(Connection(ProviderTypes.Google, _fake.Endpoint, "gemini") with { ApiKey = "wrong" }, Http);
        Assert.False(bad.Ok);
        Assert.Equal(ProviderErrorKind.BadKey, bad.Kind);
        Assert.Contains("API key not valid", bad.Error);
    }
}
