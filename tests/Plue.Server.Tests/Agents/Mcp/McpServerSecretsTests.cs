using System.Text.Json.Nodes;
using Plue.Tests.Agents;

namespace Plue.Tests.Agents.Mcp;

/// <summary>
/// Secrets follow their record: an <c>mcp-server</c> deleted through <c>codex/delete</c> (the door scripts, other windows
/// and the MCP Servers view use) leaves none of the secrets it owns in the vault, its variables', its headers' and its
/// sign-in; a secret it only names (another's) stays; undo brings the server back with them.
/// </summary>
public sealed class McpServerSecretsTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task McpServers_DeletedByCodexDelete_LeaveNoSecret_AndUndoBringsThemBack()
    {
        const string shared = "vault://shared/team-token";
        string[] local = ["vault://mcp/docs.API_TOKEN"], remote = ["vault://mcp/remote.HEADER_KEY", "vault://mcp-oauth/remote"];
        foreach (var reference in local.Concat(remote).Append(shared))
            await _world.Client.CallAsync("vault/store", new JsonObject { ["ref"] = reference, ["value"] = $"secret-of-{reference.Length}-0123456789" });
        var docs = await CreateAsync("Docs", "docs", new JsonObject
        {
            ["command"] = "node", ["args"] = new JsonArray("server.js"), ["env"] = new JsonArray("API_TOKEN=vault://mcp/docs.API_TOKEN", $"TEAM={shared}"),
        });
        var far = await CreateAsync("Remote", "remote", new JsonObject
        {
            ["transport"] = "http", ["url"] = "https://mcp.example.com/mcp", ["headers"] = new JsonArray("X-Key: vault://mcp/remote.HEADER_KEY"),
        });

        foreach (var id in new[] { docs, far }) await _world.Client.CallAsync("codex/delete", new JsonObject { ["id"] = id });
        var afterDelete = await StoredAsync();
        foreach (var id in new[] { docs, far }) await _world.Client.CallAsync("codex/undo", new JsonObject { ["id"] = id });
        var afterUndo = await StoredAsync();

        Assert.Empty(local.Concat(remote).Intersect(afterDelete));
        Assert.Contains(shared, afterDelete);
        Assert.Equal(local.Concat(remote).Order(), local.Concat(remote).Intersect(afterUndo).Order());
        Assert.DoesNotContain(afterUndo, r => r.StartsWith("vault://undo/", StringComparison.Ordinal));
        Assert.Equal("docs", (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = docs }))!["slug"]!.GetValue<string>());
    }

    private async Task<string> CreateAsync(string title, string slug, JsonObject fields) =>
        (await _world.Client.CallAsync("codex/create", new JsonObject { ["templateId"] = "mcp-server", ["title"] = title, ["slug"] = slug, ["fields"] = fields }))!["id"]!.GetValue<string>();

    private async Task<string[]> StoredAsync() =>
        [.. (await _world.Client.CallAsync("vault/list", new JsonObject()))!.AsArray().Select(r => r!.GetValue<string>())];
}
