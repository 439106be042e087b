using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Mcp;
using Plue.Codex.Kinds;
using Plue.Protocol;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Codex.Kinds;

/// <summary>
/// Every kind's view as <c>codex/changed</c> carries it is its typed read: a provider's is <c>instances/get</c>, a
/// chat's <c>session/get</c>, a task's <c>task/get</c>, an MCP server's <see cref="McpServerKind.Server"/>, a tool
/// grant's row of <c>permissions/list</c>; each begins with the record's head (id, slug, ref, version, title); after a
/// create and after a change through <c>codex/update</c>, through the production host.
/// </summary>
public sealed class RecordViewFeedTests : IAsyncLifetime
{
    private const string Model = "llama3.2:latest";
    private readonly TempDir _root = new();
    private readonly FakeOllamaServer _ollama = new();
    private InProcessSidecar _sidecar = null!;
    private SidecarClient _client = null!;

    public async Task InitializeAsync()
    {
        _sidecar = new InProcessSidecar();
        await _sidecar.StartAsync();
        _client = await SidecarClient.StartAsync(_sidecar, Path.Combine(_root.Path, "home"), Directory.CreateDirectory(Path.Combine(_root.Path, "ws")).FullName);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _sidecar.DisposeAsync();
        await _ollama.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task EveryKindsView_InTheFeed_IsItsTypedRead_AfterACreateAndAnUpdate()
    {
        var instance = (await _client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Local llama", ["catalogProviderId"] = "ollama", ["endpoint"] = _ollama.Endpoint, ["defaultModel"] = Model,
        }))!;
        var instanceId = Id(instance);
        await AssertToldAsync(instanceId, "llm-provider", "instance", () => ReadAsync("instances/get", instanceId));

        var chatId = Id((await _client.CallAsync("session/create", new JsonObject { ["instanceId"] = instanceId, ["modelId"] = Model, ["title"] = "A chat" }))!);
        await AssertToldAsync(chatId, "ai-chat", "session", () => ReadAsync("session/get", chatId));

        var taskId = Id((await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "task", ["title"] = "A task",
            ["fields"] = new JsonObject { ["goal"] = "Say hello", ["provider_ref"] = instance["ref"]!.GetValue<string>(), ["model_id"] = Model },
        }))!);
        await AssertToldAsync(taskId, "task", "task", () => ReadAsync("task/get", taskId));

        var serverId = Id((await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "Files",
            ["fields"] = new JsonObject { ["command"] = "npx", ["args"] = new JsonArray("-y", "files"), ["env"] = new JsonArray("TOKEN=vault://mcp/files.TOKEN", "MODE=fast") },
        }))!);
        await AssertToldAsync(serverId, "mcp-server", "server", () => McpServerReadAsync(serverId));

        var grantId = Id((await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "tool-grant", ["title"] = "npm test",
            ["fields"] = new JsonObject { ["scope"] = "chat", ["owner_id"] = chatId, ["tool"] = "bash", ["command_prefix"] = "npm test" },
        }))!);
        await AssertToldAsync(grantId, "tool-grant", "grant", () => GrantReadAsync(grantId));

        foreach (var (id, kind, member, read) in new (string, string, string, Func<Task<JsonNode>>)[]
        {
            (instanceId, "llm-provider", "instance", () => ReadAsync("instances/get", instanceId)),
            (chatId, "ai-chat", "session", () => ReadAsync("session/get", chatId)),
            (taskId, "task", "task", () => ReadAsync("task/get", taskId)),
            (serverId, "mcp-server", "server", () => McpServerReadAsync(serverId)),
            (grantId, "tool-grant", "grant", () => GrantReadAsync(grantId)),
        })
        {
            var record = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
            await _client.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.DeepClone(), ["title"] = "Renamed " + kind });
            var told = await AssertToldAsync(id, kind, member, read);
            Assert.Equal("Renamed " + kind, (told["displayName"] ?? told["title"])!.GetValue<string>());
            var now = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
            foreach (var head in new[] { "slug", "ref", "version", "title" })
                Assert.True(JsonNode.DeepEquals(now[head], told[head]), $"{kind}'s view has {head} {told[head]?.ToJsonString()}, its record {now[head]?.ToJsonString()}");
        }
    }

    /// <summary>The latest codex/changed of the record carries a view of <paramref name="kind"/> equal to what <paramref name="read"/> reads now.</summary>
    private async Task<JsonNode> AssertToldAsync(string id, string kind, string member, Func<Task<JsonNode>> read)
    {
        var typed = await read();
        var told = _client.Notifications.Last(n => n["method"]!.GetValue<string>() == "codex/changed" && n["params"]!["id"]!.GetValue<string>() == id)["params"]!;
        Assert.Equal(kind, told["view"]?["kind"]?.GetValue<string>());
        var view = told["view"]![member]!;
        Assert.True(JsonNode.DeepEquals(typed, view), $"told:\n{view.ToJsonString()}\nread:\n{typed.ToJsonString()}");
        return view;
    }

    private async Task<JsonNode> ReadAsync(string method, string id) => (await _client.CallAsync(method, new JsonObject { ["id"] = id }))!;

    /// <summary>An MCP server has no read of its own on the wire: its kind's, of the record codex/get returns.</summary>
    private async Task<JsonNode> McpServerReadAsync(string id)
    {
        var record = (await _client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!.Deserialize(PlueJsonContext.Default.CodexRecord)!;
        var kind = _sidecar.Services.GetServices<IRecordKind>().OfType<McpServerKind>().Single();
        return JsonSerializer.SerializeToNode(kind.Server(record), PlueJsonContext.Default.McpServer)!;
    }

    /// <summary>A grant's typed read: its row of <c>permissions/list</c>.</summary>
    private async Task<JsonNode> GrantReadAsync(string id) =>
        (await _client.CallAsync("permissions/list", new JsonObject()))!["grants"]!.AsArray().Single(g => Id(g!) == id)!.DeepClone();

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();
}
