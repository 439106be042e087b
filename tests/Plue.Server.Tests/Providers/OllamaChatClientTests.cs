using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeOllamaServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

public sealed class OllamaChatClientTests : IAsyncLifetime
{
    private readonly FakeOllamaServer _fake = new();
    private OllamaChatClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new OllamaChatClient(Connection(ProviderTypes.Ollama, _fake.Endpoint, "ollama"), Http, "llama3.2:latest");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Stream_Text_SetsNumCtxFromApiShowAndFoldsUsage()
    {
        _fake.EnqueueStream(TextReply("Hel", "lo"));
        _fake.EnqueueStream(TextReply("again"));

        var (updates, folded) = await DrainAsync(_client, Hello(), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 99 });
        await DrainAsync(_client, Hello());

        var shows = _fake.Requests.Where(r => r.Path == "/api/show").ToList();
        Assert.Equal("""{"model":"llama3.2:latest"}""", Assert.Single(shows).Body); // cached after the first call
        var chat = _fake.Requests.First(r => r.Path == "/api/chat");
        Assert.Equal("POST", chat.Method);
        var body = chat.Json;
        Assert.Equal("llama3.2:latest", (string?)body["model"]);
        Assert.True((bool?)body["stream"]);
        Assert.Equal(131072, (int?)body["options"]!["num_ctx"]);
        Assert.Equal(99, (int?)body["options"]!["num_predict"]);
        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]""", body["messages"]!.ToJsonString());
        Assert.Equal("Hello", folded.Text);
        Assert.Equal(ChatFinishReason.Stop, folded.FinishReason);
        var usage = UsageOf(updates);
        Assert.Equal((20L, 7L), (usage.InputTokenCount!.Value, usage.OutputTokenCount!.Value));
    }

    [Fact]
    public async Task Stream_ThinkingAndWholeToolCalls_AreReasoningAndCalls()
    {
        _fake.EnqueueStream([Line(thinking: "Hmm, "), Line(thinking: "files."), ToolCalls(("read", new JsonObject { ["path"] = "a" }), ("read", new JsonObject { ["path"] = "b" })), Done()]);

        var (_, folded) = await DrainAsync(_client, Hello(), new ChatOptions
        {
            Tools = [Tool("read")],
            AdditionalProperties = new() { [ProviderOptionKeys.Think] = true },
        });

        var body = _fake.Requests.Single(r => r.Path == "/api/chat").Json;
        Assert.True((bool?)body["think"]);
        Assert.Equal("read", (string?)body["tools"]![0]!["function"]!["name"]);
        var message = Assert.Single(folded.Messages);
        Assert.Equal("Hmm, files.", message.Contents.OfType<TextReasoningContent>().Single().Text);
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Select(c => c.CallId).Distinct().Count());
        Assert.Equal("b", ((JsonElement)calls[1].Arguments!["path"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, folded.FinishReason);
    }

    [Fact]
    public async Task Stream_ToolHistory_SendsObjectArgumentsAndToolNames()
    {
        _fake.EnqueueStream(TextReply("ok"));
        List<ChatMessage> history =
        [
            new(ChatRole.User, "go"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "read", new Dictionary<string, object?> { ["path"] = "a" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "A")]),
        ];

        await DrainAsync(_client, history, new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.NumCtx] = 4096 } });

        var body = _fake.Requests.Single(r => r.Path == "/api/chat").Json;
        Assert.Equal(4096, (int?)body["options"]!["num_ctx"]);
        Assert.Equal(
            """[{"role":"user","content":"go"},{"role":"assistant","content":"","tool_calls":[{"function":{"name":"read","arguments":{"path":"a"}}}]},{"role":"tool","content":"A","tool_name":"read"}]""",
            body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Stream_LengthAndErrorLine_AreReported()
    {
        _fake.EnqueueStream([Line("cut"), Done("length")]);
        var (_, folded) = await DrainAsync(_client, Hello());
        Assert.Equal(ChatFinishReason.Length, folded.FinishReason);

        _fake.EnqueueStream([Line("par"), Error("model runner has unexpectedly stopped")]);
        var (updates, error) = await DrainFailingAsync(_client);
        Assert.Equal("par", Text(updates));
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Contains("model runner has unexpectedly stopped", error.Message);
    }

    [Fact]
    public async Task Stream_UnknownModel_Is404ModelNotFound()
    {
        var (_, error) = await DrainFailingAsync(_client, Hello(), new ChatOptions { ModelId = "nope:latest" });

        Assert.Equal(ProviderErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("model 'nope:latest' not found", error.Message);
        Assert.Equal("/api/show", _fake.Requests.Last().Path);
    }
}
