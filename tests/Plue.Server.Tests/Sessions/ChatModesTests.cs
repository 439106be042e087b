using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// Chat modes over the sidecar and a loopback OpenAI fake, read from the request the provider received: a new chat is
/// in Agent mode (write tools offered, a write asking first), Ask offers only reads, new chats follow the last mode
/// used, and a workspace's AGENTS.md reaches the system prompt unless the chat turns instructions files off.
/// </summary>
public sealed class ChatModesTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<JsonObject> NewChatAsync() =>
        (await _world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = _world.InstanceId, ["modelId"] = AgentWorld.Strong, ["title"] = "Mode chat" }))!.AsObject();

    private Task<JsonNode?> SendAsync(string id, string text) => _world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = id, ["text"] = text });

    private List<JsonObject> Posts() => [.. _world.Fake.Requests.Where(r => r.Method == "POST").Select(r => r.Json)];

    private static List<string> ToolNames(JsonObject request) =>
        [.. (request["tools"] as JsonArray ?? []).Select(t => t!["function"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static string SystemText(JsonObject request) =>
        string.Concat(request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() is "system" or "developer").Select(m => m!["content"]!.ToJsonString()));

    [Fact]
    public async Task NewChat_IsInAgentMode_OffersWriteTools_ReadsUnasked_AndAWriteAsksFirst()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "plan.txt"), "write agent.txt\n");
        var chat = await NewChatAsync();
        Assert.Equal("mode-agent", chat["mode"]!.GetValue<string>());
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(100, 10, ("call_r", "read", AgentWorld.Args(("path", "plan.txt")))),
            FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", AgentWorld.Args(("path", "agent.txt"), ("content", "from the agent")))),
            FakeOpenAIServer.Final("Written."));

        await SendAsync(chat["id"]!.GetValue<string>(), "write agent.txt");

        Assert.Equal(["bash", "edit", "read", "search", "write"], ToolNames(Posts()[0]));
        // The read ran unasked: its result reached the model, and the only question was the write's.
        Assert.Contains("write agent.txt", Posts()[1]["messages"]!.AsArray().Last()!["content"]!.ToJsonString(), StringComparison.Ordinal);
        var asked = Assert.Single(_world.Approvals);
        Assert.Equal("write", asked["tool"]!.GetValue<string>());
        Assert.Equal("from the agent", File.ReadAllText(Path.Combine(_world.Workspace, "agent.txt")));
    }

    [Fact]
    public async Task AskMode_OffersOnlyReadAndSearch_AndNewChatsFollowIt()
    {
        var chat = await NewChatAsync();
        var id = chat["id"]!.GetValue<string>();
        var moved = (await _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "mode-ask" }))!;
        Assert.Equal("mode-ask", moved["mode"]!.GetValue<string>());
        _world.Fake.Enqueue(FakeOpenAIServer.Final("It reads."));

        await SendAsync(id, "what is here?");

        var request = Posts()[0];
        Assert.Equal(["read", "search"], ToolNames(request));
        Assert.Contains("You are in Ask mode", SystemText(request), StringComparison.Ordinal);
        Assert.Equal("mode-ask", (await NewChatAsync())["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetMode_Unknown_IsRefused_AndTheChatKeepsItsMode()
    {
        var id = (await NewChatAsync())["id"]!.GetValue<string>();

        var error = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "task" }));

        Assert.Contains("is not a chat mode", error.Message, StringComparison.Ordinal);
        Assert.Equal("mode-agent", (await _world.Client.CallAsync("session/get", new JsonObject { ["id"] = id }))!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModeRecord_NamingAnInstanceAndModel_MovesTheChatToThem()
    {
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "chat-mode", ["title"] = "Cheap reader", ["slug"] = "cheap-reader",
            ["fields"] = new JsonObject { ["tools"] = new JsonArray("read"), ["instance_ref"] = _world.ProviderRef, ["model_id"] = AgentWorld.Cheap },
        });
        var id = (await NewChatAsync())["id"]!.GetValue<string>();

        var moved = (await _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "codex://modes/cheap-reader" }))!;
        _world.Fake.Enqueue(FakeOpenAIServer.Final("Read."));
        await SendAsync(id, "read it");

        Assert.Equal(("codex://modes/cheap-reader", AgentWorld.Cheap), (moved["mode"]!.GetValue<string>(), moved["modelId"]!.GetValue<string>()));
        Assert.Equal(AgentWorld.Cheap, Posts()[0]["model"]!.GetValue<string>());
        Assert.Equal(["read"], ToolNames(Posts()[0]));
    }

    [Fact]
    public async Task ModeRecord_NamingAnEnvironmentInstanceThatIsNotSet_IsRefused_AndTheChatKeepsItsModeAndModel()
    {
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "chat-mode", ["title"] = "Env reader", ["slug"] = "env-reader",
            ["fields"] = new JsonObject { ["tools"] = new JsonArray("read"), ["instance_ref"] = "env:no-such-provider", ["model_id"] = "gpt-5" },
        });
        var id = (await NewChatAsync())["id"]!.GetValue<string>();

        var error = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "codex://modes/env-reader" }));

        Assert.Equal(-33001, error.Code);
        Assert.Contains("No environment instance 'env:no-such-provider'", error.Message, StringComparison.Ordinal);
        var chat = (await _world.Client.CallAsync("session/get", new JsonObject { ["id"] = id }))!;
        Assert.Equal(("mode-agent", AgentWorld.Strong), (chat["mode"]!.GetValue<string>(), chat["modelId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SetMode_ARecordThatIsGoneOrNotAMode_IsRefused()
    {
        var id = (await NewChatAsync())["id"]!.GetValue<string>();

        var gone = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "codex://modes/nosuch" }));
        var notAMode = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = _world.ProviderRef }));

        Assert.Contains("'codex://modes/nosuch' is not a chat mode", gone.Message, StringComparison.Ordinal);
        Assert.Contains($"'{_world.ProviderRef}' is not a chat mode", notAMode.Message, StringComparison.Ordinal);
        Assert.Equal("mode-agent", (await _world.Client.CallAsync("session/get", new JsonObject { ["id"] = id }))!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModeRecord_IsAMode_WithItsOwnToolsAndAutoApproval()
    {
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "chat-mode", ["title"] = "Scribe", ["slug"] = "scribe",
            ["fields"] = new JsonObject { ["tools"] = new JsonArray("read", "write"), ["auto_approve"] = new JsonArray("write") },
        });
        var modes = (await _world.Client.CallAsync("session/modes", new JsonObject()))!.AsArray();
        Assert.Equal(["mode-ask", "mode-agent", "mode-plan", "codex://modes/scribe"], modes.Select(m => m!["id"]!.GetValue<string>()));
        var id = (await NewChatAsync())["id"]!.GetValue<string>();
        await _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "codex://modes/scribe" });
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", AgentWorld.Args(("path", "scribe.txt"), ("content", "unasked")))),
            FakeOpenAIServer.Final("Done."));

        await SendAsync(id, "write it");

        Assert.Equal(["read", "write"], ToolNames(Posts()[0]));
        Assert.Empty(_world.Approvals);
        Assert.Equal("unasked", File.ReadAllText(Path.Combine(_world.Workspace, "scribe.txt")));
    }

    [Fact]
    public async Task ARecordOfAShippedModesTemplate_IsTheUsersEditOfIt_ItsFieldsWinOverTheDefaults()
    {
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mode-ask", ["title"] = "My Ask",
            ["fields"] = new JsonObject { ["tools"] = new JsonArray("read"), ["system_prompt"] = "Only read, and answer briefly." },
        });
        var ask = (await _world.Client.CallAsync("session/modes", new JsonObject()))!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "mode-ask")!;
        Assert.Equal("Ask", ask["name"]!.GetValue<string>());
        Assert.Equal(["read"], ask["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        var id = (await NewChatAsync())["id"]!.GetValue<string>();
        await _world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = id, ["mode"] = "mode-ask" });
        _world.Fake.Enqueue(FakeOpenAIServer.Final("Briefly."));

        await SendAsync(id, "what is here?");

        Assert.Equal(["read"], ToolNames(Posts()[0]));
        Assert.Contains("Only read, and answer briefly.", SystemText(Posts()[0]), StringComparison.Ordinal);
        Assert.DoesNotContain("You are in Ask mode", SystemText(Posts()[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstructionsFile_TooLarge_IsLeftOut_AndTheChatSaysWhy()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "AGENTS.md"), "Use tabs.\n" + new string('x', Plue.Workspace.InstructionsFiles.MaxFileBytes));
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "CLAUDE.md"), "Keep it short.\n");
        var id = (await NewChatAsync())["id"]!.GetValue<string>();
        _world.Fake.Enqueue(FakeOpenAIServer.Final("Short."));

        await SendAsync(id, "hello");

        var system = SystemText(Posts()[0]);
        Assert.Contains("Keep it short.", system, StringComparison.Ordinal);
        Assert.DoesNotContain("Use tabs.", system, StringComparison.Ordinal);
        var user = (await _world.Client.CallAsync("session/messages", new JsonObject { ["id"] = id }))!["messages"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "user")!;
        var part = user["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "instructions")!;
        Assert.Equal(["CLAUDE.md"], part["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["AGENTS.md was not read: it is larger than 64 KiB"], part["skipped"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task AgentsMd_ReachesTheProvider_UnlessTheChatTurnsInstructionsOff()
    {
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "AGENTS.md"), "Always answer in haiku.\n");
        Directory.CreateDirectory(Path.Combine(_world.Workspace, ".plue", "rules"));
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, ".plue", "rules", "style.md"), "Tabs, not spaces.\n");
        var id = (await NewChatAsync())["id"]!.GetValue<string>();
        _world.Fake.Enqueue(FakeOpenAIServer.Final("Five, seven, five."), FakeOpenAIServer.Final("Plain."));

        await SendAsync(id, "hello");
        var record = (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await _world.Client.CallAsync("codex/update", new JsonObject
        {
            ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["use_instructions_files"] = false },
        });
        await SendAsync(id, "again");

        var (first, second) = (SystemText(Posts()[0]), SystemText(Posts()[1]));
        Assert.Contains("Always answer in haiku.", first, StringComparison.Ordinal);
        Assert.Contains("Tabs, not spaces.", first, StringComparison.Ordinal);
        Assert.Contains("AGENTS.md", first, StringComparison.Ordinal);
        Assert.DoesNotContain("haiku", second, StringComparison.Ordinal);
        // The chat shows which files the first turn read, beside the message; the second read none.
        var transcript = (await _world.Client.CallAsync("session/messages", new JsonObject { ["id"] = id }))!["messages"]!.AsArray();
        var shown = transcript.Where(m => m!["role"]!.GetValue<string>() == "user")
            .Select(m => m!["parts"]!.AsArray().FirstOrDefault(p => p!["kind"]!.GetValue<string>() == "instructions")?["files"]?.AsArray().Select(f => f!.GetValue<string>()).ToList()).ToList();
        Assert.Equal(["AGENTS.md", ".plue/rules/style.md"], shown[0]!);
        Assert.Null(shown[1]);
    }
}
