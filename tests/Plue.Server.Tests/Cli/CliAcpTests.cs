using System.IO.Pipelines;
using System.Text.Json.Nodes;
using Plue.Tests.Fakes;

namespace Plue.Tests.Cli;

/// <summary><c>plue acp</c> served on its stdin and stdout to an editor's client: sessions, prompts, approvals and a chat loaded back.</summary>
public sealed class CliAcpTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();
    private readonly Pipe _toAgent = new();
    private readonly Pipe _fromAgent = new();
    private Task<(int Code, string Stderr)>? _serving;
    private AcpLineClient _client = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private void Serve(params string[] args)
    {
        _serving = _world.RunAsync(_fromAgent.Writer.AsStream(), _toAgent.Reader.AsStream(), false, ["acp", .. args]);
        _client = new AcpLineClient(_toAgent.Writer.AsStream(), _fromAgent.Reader.AsStream());
    }

    public async Task DisposeAsync()
    {
        if (_serving is not null)
        {
            _client.Close();
            var (code, stderr) = await _serving.WaitAsync(TimeSpan.FromSeconds(30));
            await _fromAgent.Writer.CompleteAsync();
            await _client.DisposeAsync();
            Assert.True(code == 0, stderr); // the editor closing stdin ends plue acp cleanly
        }
        await _world.DisposeAsync();
    }

    private JsonObject NewSession(string? cwd = null) => new() { ["cwd"] = cwd ?? _world.Workspace, ["mcpServers"] = new JsonArray() };

    private static JsonObject Prompt(string sessionId, params JsonNode[] blocks) => new() { ["sessionId"] = sessionId, ["prompt"] = new JsonArray(blocks) };

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    [Fact]
    public async Task APrompt_StreamsTheAnswerAsUpdates_AndEndsTheTurn_TheChatIsStored()
    {
        await _world.AddInstanceAsync();
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Hello", ", editor"));
        Serve();

        var init = await _client.RequestAsync("initialize", new JsonObject { ["protocolVersion"] = 1, ["clientCapabilities"] = new JsonObject() });
        var session = (await _client.RequestAsync("session/new", NewSession()))["result"]!["sessionId"]!.GetValue<string>();
        var notes = new Uri(Path.Combine(_world.Workspace, "notes.md")).AbsoluteUri;
        var prompt = await _client.RequestAsync("session/prompt", Prompt(session, Text("hi"),
            new JsonObject { ["type"] = "resource", ["resource"] = new JsonObject { ["uri"] = notes, ["text"] = "the notes", ["mimeType"] = "text/markdown" } },
            new JsonObject { ["type"] = "resource_link", ["uri"] = notes, ["name"] = "notes.md" }));

        Assert.Equal(1, init["result"]!["protocolVersion"]!.GetValue<int>());
        Assert.Empty(init["result"]!["authMethods"]!.AsArray());
        Assert.Equal("end_turn", prompt["result"]!["stopReason"]!.GetValue<string>());
        Assert.Equal("Hello, editor", _client.Text("agent_message_chunk"));
        var sent = _world.Fake.Requests.Single(r => r.Method == "POST").Json["messages"]!.ToJsonString();
        Assert.Contains("hi\\n@" + Path.Combine(_world.Workspace, "notes.md"), sent);
        Assert.Contains("the notes", sent);
        var stored = (await _world.RunAsync("sessions", "list", "--json")).Stdout;
        Assert.Contains(session, stored);
    }

    [Fact]
    public async Task AWrite_IsAskedOfTheEditor_AndAnsweredAllowThenReject()
    {
        await _world.AddInstanceAsync();
        _world.Fake.Script("ACP-W",
            FakeOpenAIServer.ToolCalls(100, 10, ("call_1", "write", new JsonObject { ["path"] = "note.txt", ["content"] = "from acp\n" })),
            FakeOpenAIServer.ToolCalls(100, 10, ("call_2", "write", new JsonObject { ["path"] = "other.txt", ["content"] = "no\n" })),
            FakeOpenAIServer.Final("One written, one refused."));
        Serve();
        var answers = new Queue<string>(["allow", "reject"]);
        _client.Answer = _ => new JsonObject { ["outcome"] = new JsonObject { ["outcome"] = "selected", ["optionId"] = answers.Dequeue() } };

        var session = (await _client.RequestAsync("session/new", NewSession()))["result"]!["sessionId"]!.GetValue<string>();
        var prompt = await _client.RequestAsync("session/prompt", Prompt(session, Text("ACP-W: write a note")));

        Assert.Equal("end_turn", prompt["result"]!["stopReason"]!.GetValue<string>());
        Assert.Equal("from acp\n", await File.ReadAllTextAsync(Path.Combine(_world.Workspace, "note.txt")));
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "other.txt")));
        Assert.Equal(2, _client.Questions.Count);
        Assert.All(_client.Questions, q => Assert.Equal(session, q["sessionId"]!.GetValue<string>()));
        Assert.Contains(_client.Updates, u => u["update"]!["sessionUpdate"]!.GetValue<string>() == "tool_call");
        Assert.Contains("The user rejected this in their editor.", _world.Fake.RequestsOf("ACP-W")[2].Json["messages"]!.ToJsonString());

        // Loaded again (as an editor reopening it), the chat is told as the updates that made it.
        while (_client.Updates.TryDequeue(out _)) { }
        var loaded = await _client.RequestAsync("session/load", new JsonObject { ["sessionId"] = session, ["cwd"] = _world.Workspace, ["mcpServers"] = new JsonArray() });
        Assert.NotNull(loaded["result"]);
        Assert.Contains("ACP-W: write a note", _client.Text("user_message_chunk"));
        Assert.Contains("One written, one refused.", _client.Text("agent_message_chunk"));
    }

    [Fact]
    public async Task BadRequests_AreRefusedSayingWhy_AndAHomeWithoutAnInstanceAsksToSetOneUp()
    {
        Serve();

        var init = await _client.RequestAsync("initialize", new JsonObject { ["protocolVersion"] = 1, ["clientCapabilities"] = new JsonObject() });
        var auth = await _client.RequestAsync("authenticate", new JsonObject { ["methodId"] = "plue-instances-add" });
        var noInstance = await _client.RequestAsync("session/new", NewSession());
        var relative = await _client.RequestAsync("session/new", NewSession("project"));
        var elsewhere = await _client.RequestAsync("session/new", NewSession(Path.GetTempPath()));

        Assert.Equal("plue-instances-add", init["result"]!["authMethods"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(-32000, auth["error"]!["code"]!.GetValue<int>());
        Assert.StartsWith("No provider instance is set up", auth["error"]!["message"]!.GetValue<string>());
        Assert.Equal(-32000, noInstance["error"]!["code"]!.GetValue<int>());
        Assert.Equal(-32602, relative["error"]!["code"]!.GetValue<int>());
        Assert.Contains("is not an absolute path", relative["error"]!["message"]!.GetValue<string>());
        Assert.Contains("plue acp serves the folder it was started in", elsewhere["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEmptyPrompt_AndAProviderFailure_AreErrorsThatSayWhatToDo()
    {
        await _world.AddInstanceAsync();
        _world.Fake.Enqueue(FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("Refused by the provider.", "invalid_request_error")));
        Serve("-i", "Loopback", "-m", "gpt-test");

        var session = (await _client.RequestAsync("session/new", NewSession()))["result"]!["sessionId"]!.GetValue<string>();
        var empty = await _client.RequestAsync("session/prompt", Prompt(session));
        var audio = await _client.RequestAsync("session/prompt", Prompt(session, new JsonObject { ["type"] = "audio", ["data"] = "AAAA", ["mimeType"] = "audio/wav" }));
        var failed = await _client.RequestAsync("session/prompt", Prompt(session, Text("hi")));

        Assert.Equal("prompt: it is empty; send at least one text block.", empty["error"]!["message"]!.GetValue<string>());
        Assert.StartsWith("prompt: a 'audio' block is not something Plue takes", audio["error"]!["message"]!.GetValue<string>());
        Assert.Contains("Refused by the provider.", failed["error"]!["message"]!.GetValue<string>());
        Assert.Contains("check the provider with `plue instances test`", failed["error"]!["message"]!.GetValue<string>());
    }
}
