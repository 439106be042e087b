using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Codex.Templates;

/// <summary>
/// The design notes' four templates dropped unchanged into PLUE_HOME/templates, and their records used through the
/// real sidecar: a provider in the notes' words (provider_type, model) on a loopback Ollama, a chat of the notes'
/// ai-chat that answers, and a code writer that runs on the provider its default names.
/// </summary>
public sealed class DesignNotesRecordsTests : IAsyncLifetime
{
    private const string Model = "llama3.2:latest";
    private readonly TempDir _root = new();
    private readonly FakeOllamaServer _ollama = new();
    private InProcessSidecar _sidecar = null!;
    private SidecarClient _client = null!;

    private string Home => Path.Combine(_root.Path, "home");
    private string Workspace => Path.Combine(_root.Path, "ws");

    public async Task InitializeAsync()
    {
        var templates = Directory.CreateDirectory(Path.Combine(Home, "templates")).FullName;
        Directory.CreateDirectory(Workspace);
        foreach (var file in Directory.GetFiles(RepoPaths.Fixtures("templates", "design-notes"), "*.json5"))
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        _sidecar = new InProcessSidecar();
        await _sidecar.StartAsync();
        _client = await SidecarClient.StartAsync(_sidecar, Home, Workspace);
    }

    /// <summary>The instance codex://providers/local-llama3-70b, the one the notes' code writer names, made through instances/create.</summary>
    private async Task<JsonNode> LocalLlamaAsync() => (await _client.CallAsync("instances/create", new JsonObject
    {
        ["displayName"] = "Local llama3 70b", ["catalogProviderId"] = "ollama", ["endpoint"] = _ollama.Endpoint, ["defaultModel"] = Model,
    }))!;

    [Fact]
    public async Task TemplatesList_ShowsTheNotesTemplates_Usable_WithTheirMetadata()
    {
        var list = (await _client.CallAsync("templates/list"))!.AsArray();
        var home = list.Where(t => t!["source"]!.GetValue<string>() == "home").ToList();

        Assert.Equal(["ai-chat", "llm-provider", "task-code-writer", "task-orchestrator"], home.Select(t => t!["id"]!.GetValue<string>()).Order());
        Assert.All(home, t => Assert.True(t!["usable"]!.GetValue<bool>(), string.Join("\n", t!["problems"]!.AsArray())));
        var chat = (await _client.CallAsync("templates/get", new JsonObject { ["id"] = "ai-chat" }))!;
        Assert.Equal("1.0.0", chat["versionText"]!.GetValue<string>());
        Assert.Equal("💬", chat["metadata"]!["icon"]!.GetValue<string>());
        Assert.Equal("Select a provider...", chat["fields"]![0]!["placeholder"]!.GetValue<string>());
    }

    [Fact]
    public async Task AProviderInTheNotesWords_IsAnInstance_AndAChatOfTheNotesAiChatAnswers()
    {
        var instance = await LocalLlamaAsync();
        Assert.Equal("codex://providers/local-llama3-70b", instance["ref"]!.GetValue<string>());
        Assert.Equal(Model, instance["defaultModel"]!.GetValue<string>());
        var record = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = instance["id"]!.GetValue<string>() }))!;
        Assert.Equal("ollama", record["fields"]!["provider_type"]!.GetValue<string>()); // the template's own names

        var chat = (await _client.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = Model , ["title"] = "Test chat" }))!;
        Assert.Equal(Model, chat["modelId"]!.GetValue<string>());
        _ollama.EnqueueStream(FakeOllamaServer.TextReply("Hello", " from llama"));
        var answer = (await _client.CallAsync("session/send", new JsonObject { ["sessionId"] = chat["id"]!.GetValue<string>(), ["text"] = "hi" }))!;

        Assert.Contains("Hello from llama", answer.ToJsonString());
        var sent = _ollama.Requests.Single(r => r.Path == "/api/chat").Json;
        Assert.Equal(Model, sent["model"]!.GetValue<string>());
        Assert.StartsWith("# Coding assistant", sent["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal); // the default, codex://prompts/default-assistant.md
    }

    [Fact]
    public async Task WritingAUserMessageIntoTheNotesMessagesList_SendsIt()
    {
        var instance = await LocalLlamaAsync();
        var chat = (await _client.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = Model , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        _ollama.EnqueueStream(FakeOllamaServer.TextReply("Answered"));

        await _client.CallAsync("codex/update", new JsonObject
        {
            ["id"] = id, ["version"] = chat["version"]!.GetValue<long>(),
            ["fields"] = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "from the form" }) },
        });
        await _client.WaitForAsync(n => n["method"]!.GetValue<string>() == "session/messageUpdated"
            && n["params"]!["message"]!.ToJsonString().Contains("Answered", StringComparison.Ordinal), what: "the hook's answer");

        var stored = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        Assert.True(DateTimeOffset.TryParse(stored["fields"]!["messages"]![0]!["timestamp"]!.GetValue<string>(), out _)); // auto
        var sent = _ollama.Requests.Single(r => r.Path == "/api/chat").Json;
        Assert.Equal("from the form", sent["messages"]!.AsArray().Last()!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheNotesCodeWriter_RunsOnTheProviderItsDefaultNames()
    {
        await LocalLlamaAsync();
        _ollama.EnqueueStream(FakeOllamaServer.TextReply("Done: nothing to change."));

        var started = (await _client.CallAsync("task/start", new JsonObject { ["templateId"] = "task-code-writer", ["prompt"] = "Check the code" }))!;
        var id = started["id"]!.GetValue<string>();
        await _client.WaitForAsync(n => n["method"]!.GetValue<string>() == "task/updated"
            && n["params"]!["task"]!["id"]!.GetValue<string>() == id && n["params"]!["task"]!["status"]!.GetValue<string>() is "completed" or "failed", what: "the task's end");

        var task = (await _client.CallAsync("task/get", new JsonObject { ["id"] = id }))!;
        Assert.Equal("completed", task["status"]!.GetValue<string>());
        var record = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        Assert.Equal("codex://providers/local-llama3-70b", record["fields"]!["provider_ref"]!.GetValue<string>());
        var sent = _ollama.Requests.Single(r => r.Path == "/api/chat").Json;
        Assert.Equal(Model, sent["model"]!.GetValue<string>());
        Assert.StartsWith("# Code writer", sent["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal); // codex://prompts/code-writer-specialist.md
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _sidecar.DisposeAsync();
        await _ollama.DisposeAsync();
        _root.Dispose();
    }
}
