using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A server that reads fewer prompt tokens than were sent dropped the start of the prompt without an error: the answer's
/// step says so with the fix (a chat's on its message, a task's on the task too); one that reads them all says nothing.
/// </summary>
public sealed class TruncationNoticeTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private readonly FakeOllamaServer _ollama = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;
    private string _chat = "";

    // About 3,000 tokens at four characters a token: past the 2,048 a small server holds.
    private static readonly string s_long = "GOAL: refactor the parser. " + string.Concat(Enumerable.Repeat("The parser reads one token at a time. ", 320));

    public async Task InitializeAsync()
    {
        (_sidecar, _rpc) = await RpcSession.StartAsync(Path.Combine(_root.Path, "home"));
        var instance = (await _rpc.CallAsync("instances/create", new JsonObject { ["displayName"] = "Box Ollama", ["catalogProviderId"] = "ollama", ["endpoint"] = _ollama.Endpoint }))!;
        _chat = (await _rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = "llama3.2:latest" }))!["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _ollama.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task AnOllamaThatReadLessThanSent_PutsTheNoticeWithItsFixOnTheAnswer()
    {
        _ollama.EnqueueStream([FakeOllamaServer.Line("What goal?"), FakeOllamaServer.Done(prompt: 2048)]);

        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = _chat, ["text"] = s_long }))!;

        var cut = Step(answer)["truncation"]!;
        Assert.Equal(2048, cut["readTokens"]!.GetValue<long>());
        Assert.True(cut["sentTokens"]!.GetValue<long>() > 3000); // the message and the chat's system prompt
        var message = cut["message"]!.GetValue<string>();
        Assert.Contains("Box Ollama read only 2,048 of the about", message);
        Assert.Contains("dropped the start of the conversation", message);
        Assert.Contains("num_ctx", message);
        Assert.Contains("the instance's context window", message);
        // Stored, not only told: the transcript read back has it.
        var stored = (await _rpc.CallAsync("session/messages", new JsonObject { ["id"] = _chat }))!["messages"]!.AsArray().Last()!;
        Assert.Equal(message, Step(stored)["truncation"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOllamaThatReadItAll_SaysNothing()
    {
        _ollama.EnqueueStream([FakeOllamaServer.Line("Refactoring."), FakeOllamaServer.Done(prompt: 2900)]);

        var answer = (await _rpc.CallAsync("session/send", new JsonObject { ["sessionId"] = _chat, ["text"] = s_long }))!;

        Assert.Null(Step(answer)["truncation"]);
    }

    [Fact]
    public async Task ATaskWhoseServerReadLess_ShowsTheWarningOnTheTask()
    {
        await using var world = await AgentWorld.StartAsync();
        world.Fake.Script("CUT-TASK", FakeOpenAIServer.Final("Done, without the goal.", promptTokens: 900));

        var id = (await world.StartTaskAsync("task", "CUT-TASK: " + s_long, AgentWorld.Cheap))["id"]!.GetValue<string>();
        var done = await world.WaitForStatusAsync(id, "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Contains("Loopback OpenAI read only 900 of the about", done["contextWarning"]!.GetValue<string>());
        Assert.Contains("the instance's context window", (await world.TaskAsync(id))["contextWarning"]!.GetValue<string>());
    }

    private static JsonNode Step(JsonNode message) => message["parts"]!.AsArray().Last(p => p!["kind"]!.GetValue<string>() == "step")!;
}
