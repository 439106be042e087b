using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Plue.Tests.Support;

namespace Plue.Tests.LanguageModels;

/// <summary>
/// A <c>vscode-lm</c> instance through the production host: its chats ask the client (the editor) with
/// <c>lm/models</c> and <c>lm/chat</c>, and the client streams the answer back as <c>lm/chatPart</c> notifications,
/// as the extension does with VS Code's Language Model API.
/// </summary>
public sealed class EditorModelsTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private readonly InProcessSidecar _sidecar = new();
    private readonly ConcurrentQueue<(string Method, JsonObject Params)> _asked = new();
    private SidecarClient _client = null!;

    /// <summary>What the editor does with an lm/chat: the parts it streams, then its answer (or the exception it throws).</summary>
    private Func<JsonObject, (JsonObject[] Parts, JsonObject Answer)> _chat = _ => ([Text("Hel"), Text("lo")], new JsonObject { ["inputTokens"] = 7, ["outputTokens"] = 2 });

    public async Task InitializeAsync()
    {
        await _sidecar.StartAsync();
        _client = await SidecarClient.StartAsync(_sidecar, Path.Combine(_home.Path, "home"), null);
        _client.OnRequest = (method, p) =>
        {
            _asked.Enqueue((method, p));
            switch (method)
            {
                case "lm/models":
                    var all = new[] { ("copilot", "gpt-5-mini", "GPT-5 mini"), ("other-ext", "local-llama", "Llama (local)") };
                    var vendor = p["vendor"]?.GetValue<string>();
                    return new JsonObject
                    {
                        ["models"] = new JsonArray([.. all.Where(m => vendor is null || m.Item1 == vendor)
                            .Select(m => (JsonNode)new JsonObject { ["id"] = m.Item2, ["name"] = m.Item3, ["vendor"] = m.Item1, ["maxInputTokens"] = 64000 })]),
                    };
                case "lm/chat":
                    var (parts, answer) = _chat(p);
                    var requestId = p["requestId"]!.GetValue<string>();
                    foreach (var part in parts) _client.NotifyAsync("lm/chatPart", new JsonObject { ["requestId"] = requestId, ["part"] = part }).GetAwaiter().GetResult();
                    return answer;
                default:
                    throw new InvalidOperationException("unexpected request " + method);
            }
        };
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _client.DisposeAsync();
        _home.Dispose();
    }

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private async Task<string> CreateAsync(string catalogProviderId, string name) =>
        (await _client.CallAsync("instances/create", new JsonObject { ["displayName"] = name, ["catalogProviderId"] = catalogProviderId }))!["id"]!.GetValue<string>();

    private async Task<JsonObject> SendAsync(string instanceId, string model, string text)
    {
        var session = (await _client.CallAsync("session/create", new JsonObject { ["instanceId"] = instanceId, ["modelId"] = model , ["title"] = "Test chat" }))!;
        return (await _client.CallAsync("session/send", new JsonObject { ["sessionId"] = session["id"]!.GetValue<string>(), ["text"] = text }))!.AsObject();
    }

    [Fact]
    public async Task TestAndModels_AskTheEditor_EveryVendorForVsCodeLm_OnlyCopilotsForCopilot()
    {
        var all = await CreateAsync("vscode-lm", "Editor models");
        var copilot = await CreateAsync("copilot", "Copilot");

        var test = (await _client.CallAsync("instances/test", new JsonObject { ["id"] = all }))!;
        var allModels = (await _client.CallAsync("instances/models", new JsonObject { ["id"] = all }))!.AsArray().Select(m => m!["id"]!.GetValue<string>());
        var copilotModels = (await _client.CallAsync("instances/models", new JsonObject { ["id"] = copilot }))!.AsArray().Select(m => m!["id"]!.GetValue<string>());

        Assert.True(test["ok"]!.GetValue<bool>(), test.ToJsonString());
        Assert.Equal(2, test["modelCount"]!.GetValue<int>());
        Assert.Equal(["gpt-5-mini", "local-llama"], allModels.Order());
        Assert.Contains("gpt-5-mini", copilotModels);
        Assert.DoesNotContain("local-llama", copilotModels);
        Assert.Contains(_asked, a => a.Method == "lm/models" && a.Params["vendor"]?.GetValue<string>() == "copilot");
    }

    [Fact]
    public async Task Send_AsksTheEditorsModel_AndStoresTheStreamedParts_InOrder()
    {
        var id = await CreateAsync("vscode-lm", "Editor models");

        var answer = await SendAsync(id, "local-llama", "Say hello");

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal("Hello", answer["parts"]![0]!["text"]!.GetValue<string>());
        var chat = Assert.Single(_asked, a => a.Method == "lm/chat").Params;
        Assert.Equal("local-llama", chat["modelId"]!.GetValue<string>());
        var user = chat["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "user")!;
        Assert.Contains(user["parts"]!.AsArray(), p => p!["text"]?.GetValue<string>() == "Say hello");
        Assert.Contains("Editor models", chat["justification"]!.GetValue<string>(), StringComparison.Ordinal);
        var step = answer["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "step")!;
        Assert.Equal(7, step["usage"]!["input"]!.GetValue<long>());
    }

    [Fact]
    public async Task EditorRefuses_TheMessageSaysWhy()
    {
        var id = await CreateAsync("vscode-lm", "Editor models");
        _chat = _ => throw new InvalidOperationException("NoPermissions: the user did not allow Plue to use this model");

        var answer = await SendAsync(id, "local-llama", "hi");

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Contains("did not allow Plue", answer["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditorWithNoModels_TestSaysWhatToInstall()
    {
        var id = await CreateAsync("copilot", "Copilot");
        _client.OnRequest = (_, _) => new JsonObject { ["models"] = new JsonArray() };

        var test = (await _client.CallAsync("instances/test", new JsonObject { ["id"] = id }))!;

        Assert.False(test["ok"]!.GetValue<bool>());
        Assert.Contains("install GitHub Copilot Chat", test["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
