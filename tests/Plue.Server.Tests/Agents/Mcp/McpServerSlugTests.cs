using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Agents.Tools;
using Plue.Codex.References;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Mcp;

/// <summary>
/// An MCP server's slug is made by the sidecar alone, without a dot, whichever door creates it (the window and
/// <c>plue</c> both send <c>codex/create</c> with a title and no slug): it names the tools <c>mcp__&lt;slug&gt;__&lt;tool&gt;</c>,
/// which a model API takes only as letters, digits, '_' and '-', and the secrets <c>vault://mcp/&lt;slug&gt;.&lt;NAME&gt;</c>.
/// </summary>
public sealed partial class McpServerSlugTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private InProcessSidecar _sidecar = null!;
    private SidecarClient _client = null!;

    public async Task InitializeAsync()
    {
        _sidecar = new InProcessSidecar();
        await _sidecar.StartAsync();
        _client = await SidecarClient.StartAsync(_sidecar, Path.Combine(_root.Path, "home"), null);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _sidecar.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task ANameWithADot_GetsASlugWithout_AndItsToolsAndSecretsHold()
    {
        var record = (await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "db.prod 2", ["fields"] = new JsonObject { ["command"] = "npx" },
        }))!;

        var slug = record["slug"]!.GetValue<string>();
        Assert.Equal("db-prod-2", slug);
        Assert.Matches(ModelToolName(), ToolNames.Mcp(slug, "run_query"));
        Assert.True(VaultReference.TryParse($"vault://mcp/{slug}.API_TOKEN", out var secret, out var error), error);
        Assert.Equal($"{slug}.API_TOKEN", secret.Key);
        // A second server of the same name gets the next free slug, as every record does.
        var again = (await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "db.prod 2", ["fields"] = new JsonObject { ["command"] = "npx" },
        }))!;
        Assert.Equal("db-prod-2-2", again["slug"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASlugGivenWithADot_IsRefused_NamingTheField()
    {
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "db.prod", ["slug"] = "db.prod", ["fields"] = new JsonObject { ["command"] = "npx" },
        }));

        Assert.Contains("slug", refused.Message, StringComparison.Ordinal);
        Assert.Contains("dot", refused.Message, StringComparison.Ordinal);
        // Other kinds keep their dots (a model's name: claude-4.5-sonnet).
        var prompt = (await _client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "llm-provider", ["title"] = "Claude 4.5", ["fields"] = new JsonObject { ["catalog_provider_id"] = "anthropic" },
        }))!;
        Assert.Equal("claude-4.5", prompt["slug"]!.GetValue<string>());
    }

    /// <summary>A function name Anthropic's and OpenAI's APIs accept.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ModelToolName();
}
