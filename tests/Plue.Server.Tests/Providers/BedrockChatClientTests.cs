using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Bedrock;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeBedrockServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class BedrockChatClientTests : IAsyncLifetime
{
    private const string Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private readonly FakeBedrockServer _fake = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private BedrockChatClient Client(Func<string, string?>? environment = null, ProviderConnection? connection = null) =>
        new(connection ?? Connection(ProviderTypes.Bedrock, _fake.Endpoint, "bedrock") with
        {
            ApiKey = $$"""{"accessKeyId":"{{Credentials.AccessKeyId}}","secretAccessKey":"{{Credentials.SecretAccessKey}}","sessionToken":"{{Credentials.SessionToken}}"}""",
        }, Http, Model, environment ?? (_ => null));

    /// <summary>The test suite's documented example secret, put together here so it reads as no real credential.</summary>
    private static readonly string AwsTestSuiteSecret = string.Concat("wJalrXUtnFEMI/K7MDENG+bPxRfiCY", "EXAMPLE", "KEY");

    [Fact]
    public void SigV4_AwsTestSuiteGetVanilla_GivesAwsSignature()
    {
        // From AWS's Signature Version 4 test suite ("get-vanilla").
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        SigV4.Sign(request, [], new AwsCredentials("AKIDEXAMPLE", AwsTestSuiteSecret), "us-east-1", "service",
            new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero), contentHashHeader: false);

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task Stream_SignedConverseRequest_FoldsTextAndUsage()
    {
        _fake.EnqueueStream(TextReply("Hel", "lo"));

        var (updates, folded) = await DrainAsync(Client(), Hello(), new ChatOptions { MaxOutputTokens = 100, Temperature = 0.2f, StopSequences = ["END"] });

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream"), (request.Method, request.Path));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDPLUETEST/", request.Header("authorization"));
        Assert.Equal("""[{"text":"Be brief."}]""", request.Json["system"]!.ToJsonString());
        Assert.Equal("""[{"role":"user","content":[{"text":"Hi"}]}]""", request.Json["messages"]!.ToJsonString());
        Assert.Equal("""{"maxTokens":100,"temperature":0.2,"stopSequences":["END"]}""", request.Json["inferenceConfig"]!.ToJsonString());
        Assert.Equal("Hello", folded.Text);
        Assert.Equal(ChatFinishReason.Stop, folded.FinishReason);
        var usage = UsageOf(updates);
        Assert.Equal((16L, 4L, 5L), (usage.InputTokenCount, usage.OutputTokenCount, Extra(usage, ProviderUsage.CacheRead)));
    }

    [Fact]
    public async Task Stream_ToolUseAndReasoning_AreAssembledAndRoundTrip()
    {
        _fake.EnqueueStream(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Look at the file."}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig-9"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"read_file"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"path\":"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"a.txt\"}"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            Event("messageStop", """{"stopReason":"tool_use"}"""),
            Event("metadata", """{"usage":{"inputTokens":20,"outputTokens":9}}"""));
        var options = new ChatOptions { Tools = [Tool("read_file")], AdditionalProperties = new() { [ProviderOptionKeys.ThinkingBudgetTokens] = 1024 } };

        var (_, folded) = await DrainAsync(Client(), Hello(), options);

        var sent = _fake.Requests.Single().Json;
        Assert.Equal("""{"tools":[{"toolSpec":{"name":"read_file","description":"test tool read_file","inputSchema":{"json":{"type":"object","properties":{"path":{"type":"string"}}}}}}]}""",
            sent["toolConfig"]!.ToJsonString());
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":1024}}""", sent["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
        var message = folded.Messages.Single();
        var call = Assert.Single(message.Contents.OfType<FunctionCallContent>());
        Assert.Equal(("tooluse_1", "read_file", "a.txt"), (call.CallId, call.Name, call.Arguments!["path"]!.ToString()));

        _fake.EnqueueStream(TextReply("It says hi."));
        await DrainAsync(Client(), [.. Hello(), message, new ChatMessage(ChatRole.Tool, [new FunctionResultContent("tooluse_1", "hi")])], new ChatOptions { Tools = [Tool("read_file")] });
        Assert.Equal("""[{"role":"user","content":[{"text":"Hi"}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Look at the file.","signature":"sig-9"}}},{"toolUse":{"toolUseId":"tooluse_1","name":"read_file","input":{"path":"a.txt"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"hi"}]}}]}]""",
            _fake.Requests[1].Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_ExceptionFrame_IsAnErrorOfItsKind_KeepingWhatArrived()
    {
        _fake.EnqueueStream(Event("messageStart", """{"role":"assistant"}"""), Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"par"}}"""),
            ExceptionFrame("throttlingException", "Too many tokens, please wait before trying again."));

        var (updates, error) = await DrainFailingAsync(Client());

        Assert.Equal("par", Text(updates));
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Contains("Too many tokens", error.Message);
    }

    [Fact]
    public async Task Stream_CorruptedFrameOrCutBeforeMetadata_IsAStreamCut()
    {
        var corrupted = Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}""");
        corrupted[^1] ^= 0xFF;
        _fake.EnqueueStream(Event("messageStart", """{"role":"assistant"}"""), corrupted);
        Assert.Equal(ProviderErrorKind.StreamCut, (await DrainFailingAsync(Client())).Error.Kind);

        _fake.EnqueueStream(TextReply("whole")[..^1]);
        Assert.Equal(ProviderErrorKind.StreamCut, (await DrainFailingAsync(Client())).Error.Kind);
    }

    [Fact]
    public async Task Credentials_FromTheEnvironmentOrAProfile_OrABedrockApiKey_AndAWrongSecretIsRefused()
    {
        _fake.EnqueueStream(TextReply("env"));
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = Credentials.AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = Credentials.SecretAccessKey, ["AWS_SESSION_TOKEN"] = Credentials.SessionToken };
        var bare = Connection(ProviderTypes.Bedrock, _fake.Endpoint, "bedrock") with { ApiKey = null, MaxAttempts = 1 };
        Assert.Equal("env", (await DrainAsync(Client(n => env.GetValueOrDefault(n), bare), Hello())).Folded.Text);

        var dir = Directory.CreateTempSubdirectory("plue-aws-");
        try
        {
            var file = Path.Combine(dir.FullName, "credentials");
            File.WriteAllText(file, $"[default]\naws_access_key_id = WRONG\naws_secret_access_key = WRONG\n\n[work]\naws_access_key_id = {Credentials.AccessKeyId}\n" +
                $"aws_secret_access_key = {Credentials.SecretAccessKey}\naws_session_token = {Credentials.SessionToken}\n");
            _fake.EnqueueStream(TextReply("profile"));
            var fromProfile = Client(n => n == "AWS_SHARED_CREDENTIALS_FILE" ? file : null, bare with { Profile = "work" });
            Assert.Equal("profile", (await DrainAsync(fromProfile, Hello())).Folded.Text);

            var wrong = await DrainFailingAsync(Client(n => n == "AWS_SHARED_CREDENTIALS_FILE" ? file : null, bare));
            Assert.Equal((ProviderErrorKind.BadKey, 403), (wrong.Error.Kind, wrong.Error.Status));
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        _fake.BearerKey = "ABSKbedrock-api-key";
        _fake.EnqueueStream(TextReply("bearer"));
        var keyed = bare with { ApiKey = "ABSKbedrock-api-key", Credential = CredentialKind.AuthToken };
        Assert.Equal("bearer", (await DrainAsync(Client(connection: keyed), Hello())).Folded.Text);

        var none = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client(_ => null, bare with { Profile = "missing" }), Hello()));
        Assert.Contains("Bedrock needs AWS credentials", none.Message);
    }

    [Fact]
    public void Region_MovesTheCatalogHost_KeepsAnEndpointOfTheUsersOwn()
    {
        var catalog = Connection(ProviderTypes.Bedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", "bedrock") with { Region = "eu-west-3" };
        Assert.Equal("https://bedrock-runtime.eu-west-3.amazonaws.com", BedrockRegion.Apply(catalog).Endpoint);
        Assert.Equal("https://vpce-1.bedrock-runtime.example", BedrockRegion.Apply(catalog with { Endpoint = "https://vpce-1.bedrock-runtime.example" }).Endpoint);
    }

    [Theory]
    [InlineData("AKIDPLUE:secret/key", "AKIDPLUE", "secret/key", null)]
    [InlineData(""" {"accessKeyId":"AKIDPLUE","secretAccessKey":"secret/key"}""", "AKIDPLUE", "secret/key", null)]
    [InlineData("""{"accessKeyId":"AKIDPLUE","secretAccessKey":"secret/key","sessionToken":"tok"}""", "AKIDPLUE", "secret/key", "tok")]
    public void Parse_EitherStoredForm_GivesTheKey_AndPrintsNoSecret(string secret, string id, string key, string? token)
    {
        var credentials = AwsCredentials.Parse(secret);

        Assert.Equal(new AwsCredentials(id, key, token), credentials);
        Assert.Equal("AwsCredentials { AccessKeyId = AKIDPLUE }", credentials.ToString());
    }

    [Theory]
    [InlineData("AKIDPLUE")]
    [InlineData("AKIDPLUE:")]
    [InlineData(":secret")]
    [InlineData("a:b:c")]
    [InlineData("""{"accessKeyId":"AKIDPLUE"}""")]
    [InlineData("""{"accessKeyId":1,"secretAccessKey":"secret/key"}""")]
    [InlineData("{not json")]
    public void Parse_NeitherForm_IsABadKey_SayingWhichFormsWork(string secret)
    {
        var error = Assert.Throws<ProviderException>(() => AwsCredentials.Parse(secret));

        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.StartsWith("The instance's AWS credential is neither ACCESS_KEY_ID:SECRET_ACCESS_KEY nor ", error.Message);
    }

    [Fact]
    public async Task Stream_ImageAndRequiredTools_AreConverseBlocks_AndToolsOffSendsNone()
    {
        _fake.EnqueueStream(TextReply("one"));
        _fake.EnqueueStream(TextReply("two"));
        _fake.EnqueueStream(TextReply("three"));
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47 };
        List<ChatMessage> withImage = [new(ChatRole.User, [new TextContent("What?"), new DataContent(png, "image/png"), new DataContent(png, "application/pdf")])];

        await DrainAsync(Client(), withImage, new ChatOptions { Tools = [Tool("read_file")], ToolMode = ChatToolMode.RequireSpecific("read_file") });
        await DrainAsync(Client(), Hello(), new ChatOptions { Tools = [Tool("read_file")], ToolMode = ChatToolMode.RequireAny, TopP = 0.5f });
        await DrainAsync(Client(), Hello(), new ChatOptions { Tools = [Tool("read_file")], ToolMode = ChatToolMode.None });

        var (first, second, third) = (_fake.Requests[0].Json, _fake.Requests[1].Json, _fake.Requests[2].Json);
        Assert.Equal($$$$"""[{"role":"user","content":[{"text":"What?"},{"image":{"format":"png","source":{"bytes":"{{{{Convert.ToBase64String(png)}}}}"}}}]}]""",
            first["messages"]!.ToJsonString());
        Assert.Equal("""{"tool":{"name":"read_file"}}""", first["toolConfig"]!["toolChoice"]!.ToJsonString());
        Assert.Equal("""{"any":{}}""", second["toolConfig"]!["toolChoice"]!.ToJsonString());
        Assert.Equal("""{"topP":0.5}""", second["inferenceConfig"]!.ToJsonString());
        Assert.Null(third["toolConfig"]);
    }

    [Theory]
    [InlineData("serviceUnavailableException", """{"message":"Bedrock is busy"}""", "serviceUnavailableException: Bedrock is busy", ProviderErrorKind.Overloaded)]
    [InlineData("validationException", """{"message":"The model rejected the input"}""", "validationException: The model rejected the input", ProviderErrorKind.BadRequest)]
    [InlineData("modelStreamErrorException", "not json", "modelStreamErrorException: no detail", ProviderErrorKind.ServerError)]
    public async Task Stream_ExceptionFrameOfAnyType_IsAnErrorOfItsKind_SayingItsTypeAndMessage(string type, string payload, string says, ProviderErrorKind kind)
    {
        _fake.EnqueueStream(Event("messageStart", """{"role":"assistant"}"""),
            Frame([(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], payload));

        var (_, error) = await DrainFailingAsync(Client());

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(kind, error.Kind);
    }

    [Theory]
    [InlineData(null, "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("model_context_window_exceeded", "model_context_window_exceeded")]
    public async Task Stream_StopReason_IsReadAsItsKind_AnUnknownOneKeptAsItCame(string? reason, string expected)
    {
        var stop = reason is null ? "{}" : $$"""{"stopReason":"{{reason}}"}""";
        _fake.EnqueueStream(Event("messageStart", """{"role":"assistant"}"""), Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"so far"}}"""),
            Event("messageStop", stop), Event("metadata", """{"usage":{"inputTokens":3,"outputTokens":2}}"""));

        var (_, folded) = await DrainAsync(Client(), Hello());

        Assert.Equal("so far", folded.Text);
        Assert.Equal(expected, folded.FinishReason?.Value);
    }

    /// <summary>One event-stream header: name, value type, value bytes.</summary>
    private static byte[] Header(string name, byte type, params byte[] value) => [(byte)name.Length, .. System.Text.Encoding.UTF8.GetBytes(name), type, .. value];

    private static byte[] StringHeader(string name, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return Header(name, 7, [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
    }

    [Fact]
    public async Task Stream_HeadersOfEveryValueType_AreSkippedBySize_OnlyStringsAreRead()
    {
        byte[] head =
        [
            .. Header("flag-true", 0), .. Header("flag-false", 1), .. Header("byte", 2, 7), .. Header("short", 3, 0, 7), .. Header("int", 4, 0, 0, 0, 7),
            .. Header("long", 5, new byte[8]), .. Header("bytes", 6, 0, 3, 1, 2, 3), .. Header("time", 8, new byte[8]), .. Header("uuid", 9, new byte[16]),
            .. StringHeader(":event-type", "contentBlockDelta"), .. StringHeader(":message-type", "event"),
        ];
        var typed = Frame(head, """{"contentBlockIndex":0,"delta":{"text":"typed "}}""");
        var reply = TextReply("text");
        _fake.EnqueueStream([reply[0], typed, .. reply[1..]]);

        var (_, folded) = await DrainAsync(Client(), Hello());

        Assert.Equal("typed text", folded.Text);
    }

    [Fact]
    public async Task Stream_BrokenFraming_IsAStreamCut_KeepingWhatArrived()
    {
        var badPrelude = Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}""");
        badPrelude[8] ^= 0xFF;
        var oversized = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(oversized, BedrockChatClient.MaxMessageBytes + 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(oversized.AsSpan(8), Crc32.Compute(oversized.AsSpan(0, 8)));
        var unknownType = Frame([.. Header("odd", 10), .. StringHeader(":event-type", "contentBlockDelta")], "{}");
        var cutInPrelude = Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}""")[..5];

        foreach (var broken in new[] { badPrelude, oversized, unknownType, cutInPrelude })
        {
            _fake.EnqueueStream(Event("messageStart", """{"role":"assistant"}"""), Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"ok"}}"""), broken);

            var (updates, error) = await DrainFailingAsync(Client());

            Assert.Equal(ProviderErrorKind.StreamCut, error.Kind);
            Assert.Equal("ok", Text(updates));
        }
    }
}
