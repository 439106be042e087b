using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat's <c>available_tools</c> over the real sidecar and a loopback OpenAI fake: declared to the model, run through
/// the agents' tool runner (confined, write asking the client with the chat's id), the results sent back, and none
/// when the chat was given none.
/// </summary>
public sealed class ChatToolsTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    /// <summary>A chat outside any mode (as one made before modes): only its own tools.</summary>
    private async Task<string> ChatAsync(JsonObject fields)
    {
        fields["mode"] = null;
        var chat = (await _world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = AgentWorld.Strong , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        var record = (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await _world.Client.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = fields });
        return id;
    }

    private Task<JsonNode?> SendAsync(string id, string text) => _world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = id, ["text"] = text });

    [Fact]
    public async Task ChatWithoutTools_DeclaresNone()
    {
        var id = await ChatAsync(new JsonObject());
        _world.Fake.Enqueue(FakeOpenAIServer.Final("Hi."));

        await SendAsync(id, "hello");

        Assert.Null(Assert.Single(_world.Fake.Requests, r => r.Method == "POST").Json["tools"]);
    }

    [Fact]
    public async Task ChatWithReadAndWrite_RunsThemAfterApproval_AndSendsTheResultsBack()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "notes.md"), "The build uses make.");
        var id = await ChatAsync(new JsonObject { ["available_tools"] = new JsonArray("read", "write") });
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(100, 10, ("call_r", "read", AgentWorld.Args(("path", "notes.md")))),
            FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", AgentWorld.Args(("path", "out.txt"), ("content", "written by the chat")))),
            FakeOpenAIServer.Final("Done: the build uses make."));

        var answer = (await SendAsync(id, "What does the build use? Write it down."))!;

        Assert.Equal("Done: the build uses make.", answer["parts"]!.AsArray().Last(p => p!["kind"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>());
        var requests = _world.Fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(["read", "write"], requests[0].Json["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Order());
        var toolResult = requests[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_r", toolResult["tool_call_id"]!.GetValue<string>());
        Assert.Contains("The build uses make.", toolResult["content"]!.GetValue<string>());
        // write changed the workspace only after the client said yes, asked as the chat (its panel shows the card and names it).
        var asked = Assert.Single(_world.Approvals);
        Assert.Equal(("write", id), (asked["tool"]!.GetValue<string>(), asked["sessionId"]!.GetValue<string>()));
        Assert.Null(asked["taskId"]);
        Assert.Equal("written by the chat", File.ReadAllText(Path.Combine(_world.Workspace, "out.txt")));
        var transcript = (await _world.Client.CallAsync("session/messages", new JsonObject { ["id"] = id }))!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "assistant", "assistant"], transcript.Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ChatTool_Denied_OrOutsideTheWorkspace_IsAnErrorTheModelReads()
    {
        var id = await ChatAsync(new JsonObject { ["available_tools"] = new JsonArray("read", "bash") });
        _world.Decide = _ => new JsonObject { ["decision"] = "deny", ["message"] = "Not now" };
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(100, 10, ("call_o", "read", AgentWorld.Args(("path", "../outside.txt"))), ("call_b", "bash", AgentWorld.Args(("command", "touch made.txt")))),
            FakeOpenAIServer.Final("I could not."));

        await SendAsync(id, "try");

        var results = _world.Fake.Requests.Where(r => r.Method == "POST").ToList()[1].Json["messages"]!.AsArray()
            .Where(m => m!["role"]!.GetValue<string>() == "tool").ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.GetValue<string>());
        Assert.Contains("outside", results["call_o"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Not now", results["call_b"]);
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "made.txt")));
    }
}
