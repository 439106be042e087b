using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Mcp;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Agents.Tools;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Mcp;

/// <summary>
/// <c>mcp/tools</c> in the production host: the server of an mcp-server record (the node MCP fixture) started as a
/// real process, asked for its tools and stopped again, apart from the process tasks share.
/// </summary>
public sealed class McpToolsMethodTests
{
    private static readonly string s_fixture = Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Tools", "Fixtures", "mcp-fixture-server.js");

    private static async Task<string> AddServerAsync(SidecarWithClient sidecar, string slug, string command = "node", JsonArray? args = null,
        JsonArray? env = null, bool enabled = true)
    {
        var record = await sidecar.CallAsync(Contract.CodexCreate.Name, new JsonObject
        {
            ["templateId"] = McpServerConfig.TemplateId,
            ["title"] = $"Fixture {slug}",
            ["slug"] = slug,
            ["fields"] = new JsonObject
            {
                ["command"] = command,
                ["args"] = args ?? new JsonArray(s_fixture),
                ["env"] = env ?? new JsonArray(),
                ["enabled"] = enabled,
            },
        });
        return record["id"]!.GetValue<string>();
    }

    private static Task<JsonObject> ToolsAsync(SidecarWithClient sidecar, string id) =>
        sidecar.CallAsync(Contract.McpTools.Name, new JsonObject { ["id"] = id });

    [Fact]
    public async Task McpTools_FixtureServer_ListsEveryToolWithItsAgentNameAndDescription()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var id = await AddServerAsync(sidecar, "fixture");

        var result = await ToolsAsync(sidecar, id);

        Assert.Equal("fixture", result["server"]!.GetValue<string>());
        var tools = result["tools"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["echo", "env", "pid", "fail", "odd name!"], tools.Select(t => t["name"]!.GetValue<string>()));
        Assert.Equal("mcp__fixture__odd_name_", tools[4]["agentName"]!.GetValue<string>());
        Assert.Equal("mcp__fixture__echo", tools[0]["agentName"]!.GetValue<string>());
        Assert.Equal("Returns its text.", tools[0]["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task McpTools_DisabledServer_IsStillTestedButNotStartedForTasks()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var id = await AddServerAsync(sidecar, "off", enabled: false);

        var result = await ToolsAsync(sidecar, id);

        Assert.Equal(5, result["tools"]!.AsArray().Count);
        Assert.Empty(sidecar.Services.GetRequiredService<McpServers>().StartedTools("off"));
    }

    [Fact]
    public async Task McpTools_AfterTheAnswer_TheServerProcessIsStopped()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        // The fixture ignores extra arguments: this one finds its process in /proc.
        var marker = $"--probe-{Guid.NewGuid():N}";
        var id = await AddServerAsync(sidecar, "probed", args: new JsonArray(s_fixture, marker));

        await ToolsAsync(sidecar, id);

        for (var i = 0; i < 100 && ProcessesWith(marker) > 0; i++) await Task.Delay(50);
        Assert.Equal(0, ProcessesWith(marker));
        Assert.Empty(sidecar.Services.GetRequiredService<McpServers>().StartedTools("probed"));
    }

    [Fact]
    public async Task McpTools_ProgramThatDoesNotExist_IsAnMcpServerErrorSayingItDidNotStart()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var id = await AddServerAsync(sidecar, "ghost", command: "/nonexistent/plue-no-such-mcp-server", args: new JsonArray());

        var error = await Assert.ThrowsAsync<RpcException>(() => ToolsAsync(sidecar, id));

        Assert.Equal(PlueErrorCodes.McpServerError, error.Code);
        Assert.Contains("MCP server 'ghost' (/nonexistent/plue-no-such-mcp-server) did not start", error.Message);
    }

    [Fact]
    public async Task McpTools_AServerWhoseAnswerLacksWhatMcpRequires_IsSaidInTheUsersWords_NeverTheSdks()
    {
        using var ws = new ToolWorkspace();
        // Answers every request with an empty result: its answer to the SDK's first request (discover) lacks what MCP requires.
        var script = Path.Combine(ws.Folder, "not-mcp.js");
        await File.WriteAllTextAsync(script, "require('readline').createInterface({ input: process.stdin }).on('line', (line) => {\n" +
            "  const m = JSON.parse(line); if (m.id !== undefined) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }) + '\\n');\n});\n");
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var id = await AddServerAsync(sidecar, "not-mcp", args: new JsonArray(script));

        var error = await Assert.ThrowsAsync<RpcException>(() => ToolsAsync(sidecar, id));

        Assert.Equal(PlueErrorCodes.McpServerError, error.Code);
        Assert.True(error.Message.StartsWith("MCP server 'not-mcp' (node) did not start: its answer to 'discover' lacks supportedVersions and capabilities, which MCP requires", StringComparison.Ordinal), error.Message);
        Assert.Contains("): check that its command or URL is an MCP server", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ModelContextProtocol", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON deserialization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpTools_SecretMissingFromTheVault_SaysWhichReferenceAndNeverStarts()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var id = await AddServerAsync(sidecar, "needs-key", env: new JsonArray("FIXTURE_SECRET=vault://mcp/needs-key.FIXTURE_SECRET"));

        var error = await Assert.ThrowsAsync<RpcException>(() => ToolsAsync(sidecar, id));

        Assert.Equal(PlueErrorCodes.McpServerError, error.Code);
        Assert.Contains("variable FIXTURE_SECRET: the vault no longer holds its secret; set the variable again in the server's settings", error.Message);
    }

    [Fact]
    public async Task McpTools_SecretInTheVault_ReachesTheServerAndStaysOutOfTheAnswer()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await sidecar.CallAsync(Contract.VaultStore.Name, new JsonObject { ["ref"] = "vault://mcp/keyed.FIXTURE_SECRET", ["value"] = "probe-secret-4711" });
        var id = await AddServerAsync(sidecar, "keyed", env: new JsonArray("FIXTURE_SECRET=vault://mcp/keyed.FIXTURE_SECRET"));

        var result = await ToolsAsync(sidecar, id);

        Assert.Equal(5, result["tools"]!.AsArray().Count);
        Assert.DoesNotContain("probe-secret-4711", result.ToJsonString());
    }

    [Fact]
    public async Task McpTools_RecordOfAnotherTemplate_IsInvalidParams()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var provider = await sidecar.CallAsync(Contract.CodexCreate.Name, new JsonObject
        {
            ["templateId"] = "llm-provider", ["title"] = "Not a server", ["fields"] = new JsonObject { ["catalog_provider_id"] = "openai" },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => ToolsAsync(sidecar, provider["id"]!.GetValue<string>()));

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
        Assert.Contains("'Not a server' is a llm-provider record, not an MCP server", error.Message);
    }

    [Fact]
    public async Task McpTools_UnknownId_IsNotFound()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var error = await Assert.ThrowsAsync<RpcException>(() => ToolsAsync(sidecar, "no-such-id"));

        Assert.Equal(PlueErrorCodes.NotFound, error.Code);
    }

    private static int ProcessesWith(string marker) =>
        Directory.GetDirectories("/proc").Count(dir =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });
}
