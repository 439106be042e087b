using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Mcp;
using Plue.Protocol;
using Plue.Tests.Support;
using static Plue.Tests.Agents.Tools.ToolWorkspace;

namespace Plue.Tests.Agents.Tools;

/// <summary>
/// MCP servers as agent tools in the production host: configured with codex/create (template mcp-server), started
/// lazily as a real process (a node script speaking MCP on stdio), gated by the grant and by approvals, stopped at shutdown.
/// </summary>
public sealed class McpToolTests
{
    private static readonly string s_fixture = Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Tools", "Fixtures", "mcp-fixture-server.js");

    private static async Task AddServerAsync(SidecarWithClient sidecar, string slug, bool trusted = false, JsonArray? args = null, JsonArray? env = null)
    {
        await sidecar.CallAsync(Contract.CodexCreate.Name, new JsonObject
        {
            ["templateId"] = McpServerConfig.TemplateId,
            ["title"] = $"Fixture {slug}",
            ["slug"] = slug,
            ["fields"] = new JsonObject
            {
                ["command"] = "node",
                ["args"] = args ?? new JsonArray(s_fixture),
                ["env"] = env ?? new JsonArray(),
                ["trusted"] = trusted,
            },
        });
    }

    [Fact]
    public async Task McpTool_GrantedServer_IsDeclaredAndRunsAfterApproval()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "fixture");
        var grant = Grant(["read", "mcp__fixture"]);

        var declared = await sidecar.Runner.DeclarationsAsync(grant, CancellationToken.None);
        var result = await sidecar.Runner.RunAsync(grant, "mcp__fixture__echo", Json("""{"text":"round trip"}"""), CancellationToken.None);

        Assert.Contains("mcp__fixture__echo", declared.Select(d => d.Name));
        Assert.Contains("mcp__fixture__odd_name_", declared.Select(d => d.Name));
        Assert.Equal("string", declared.Single(d => d.Name == "mcp__fixture__echo").JsonSchema.GetProperty("properties").GetProperty("text").GetProperty("type").GetString());
        Assert.False(result.IsError, result.Output);
        Assert.Equal("round trip", result.Output);
        var asked = Assert.Single(sidecar.Asked);
        Assert.Equal("mcp__fixture__echo", asked.Tool);
        // Once started, the synchronous declarations include the server's tools too.
        Assert.Contains("mcp__fixture__pid", sidecar.Runner.Declarations(grant).Select(d => d.Name));
    }

    [Fact]
    public async Task McpTool_OneToolGranted_OthersOfTheServerAreRefused()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "fixture");
        var grant = Grant(["mcp__fixture__echo"]);

        var declared = await sidecar.Runner.DeclarationsAsync(grant, CancellationToken.None);
        var refused = await sidecar.Runner.RunAsync(grant, "mcp__fixture__pid", Json("{}"), CancellationToken.None);

        Assert.Equal(["mcp__fixture__echo"], declared.Select(d => d.Name));
        Assert.True(refused.IsError);
        Assert.Contains("not allowed", refused.Output);
        Assert.Empty(sidecar.Asked);
    }

    [Fact]
    public async Task McpTool_TrustedServer_RunsWithoutAskingAndReportsToolErrors()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "trusted-fixture", trusted: true);
        var grant = Grant(["mcp__trusted-fixture"]);

        var echoed = await sidecar.Runner.RunAsync(grant, "mcp__trusted-fixture__echo", Json("""{"text":"hi"}"""), CancellationToken.None);
        var failed = await sidecar.Runner.RunAsync(grant, "mcp__trusted-fixture__fail", Json("{}"), CancellationToken.None);
        var invalid = await sidecar.Runner.RunAsync(grant, "mcp__trusted-fixture__echo", Json("{}"), CancellationToken.None);

        Assert.Equal("hi", echoed.Output);
        Assert.True(failed.IsError);
        Assert.Equal("it failed on purpose", failed.Output);
        Assert.Contains("'text' is required", invalid.Output);
        Assert.Empty(sidecar.Asked);
    }

    [Fact]
    public async Task McpTool_TrustedServerInAnUntrustedWorkspace_StillAsks()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder, trusted: false);
        await AddServerAsync(sidecar, "trusted-fixture", trusted: true);

        var result = await sidecar.Runner.RunAsync(Grant(["mcp__trusted-fixture"]), "mcp__trusted-fixture__echo", Json("""{"text":"hi"}"""), CancellationToken.None);

        Assert.Equal("hi", result.Output);
        Assert.Equal("mcp__trusted-fixture__echo", Assert.Single(sidecar.Asked).Tool);
    }

    [Fact]
    public async Task McpServer_Environment_HasItsVaultSecretAndNothingInheritedFromTheSidecar()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await sidecar.CallAsync(Contract.VaultStore.Name, new JsonObject { ["ref"] = "vault://mcp/fixture", ["value"] = "resolved-secret-value" });
        await AddServerAsync(sidecar, "fixture", trusted: true, env: new JsonArray("FIXTURE_SECRET=vault://mcp/fixture", "PLAIN=1"));

        var result = await sidecar.Runner.RunAsync(Grant(["mcp__fixture"]), "mcp__fixture__env", Json("{}"), CancellationToken.None);

        var seen = JsonNode.Parse(result.Output)!;
        // The server got its secret; what it says of it reaches the model scrubbed (McpSecrets).
        Assert.Equal("***", seen["secret"]!.GetValue<string>());
        var names = seen["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        // The basics every child gets (ChildEnvironment), and its own variables.
        string[] own = ["FIXTURE_SECRET", "PLAIN"];
        var inheritable = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(name => !Plue.Processes.ChildEnvironment.IsBasic(name)).Except(own).ToList();
        Assert.NotEmpty(inheritable);
        // node may add a variable or two of its own, but none of the sidecar's own environment reaches the server.
        Assert.Empty(names.Intersect(inheritable));
    }

    [Fact]
    public async Task McpServer_VaultReferenceInArguments_IsRefusedWithoutStarting()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "leaky", trusted: true, args: new JsonArray(s_fixture, "--token=vault://mcp/fixture"));

        var result = await sidecar.Runner.RunAsync(Grant(["mcp__leaky"]), "mcp__leaky__echo", Json("""{"text":"x"}"""), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Contains("argument 2 holds a vault:// reference", result.Output);
    }

    [Fact]
    public async Task McpServer_MissingVaultSecret_SaysWhichReference()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "fixture", trusted: true, env: new JsonArray("FIXTURE_SECRET=vault://mcp/missing"));

        var result = await sidecar.Runner.RunAsync(Grant(["mcp__fixture"]), "mcp__fixture__echo", Json("""{"text":"x"}"""), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Contains("the vault no longer holds its secret; set the", result.Output);
    }

    [Fact]
    public async Task McpServer_NotConfigured_IsAClearError()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["mcp__ghost"]), "mcp__ghost__echo", Json("{}"), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Contains("No MCP server 'ghost' is configured", result.Output);
    }

    [Fact]
    public async Task McpServer_Shutdown_StopsTheServerProcess()
    {
        using var ws = new ToolWorkspace();
        var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        int pid;
        try
        {
            await AddServerAsync(sidecar, "fixture", trusted: true);
            var result = await sidecar.Runner.RunAsync(Grant(["mcp__fixture"]), "mcp__fixture__pid", Json("{}"), CancellationToken.None);
            pid = int.Parse(result.Output, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsRunning(pid), "the server should run while the sidecar does");
        }
        finally
        {
            await sidecar.DisposeAsync();
        }

        for (var i = 0; i < 100 && IsRunning(pid); i++) await Task.Delay(50);
        Assert.False(IsRunning(pid), $"the MCP server (pid {pid}) outlived the sidecar");
    }

    [Fact]
    public async Task McpServer_Started_IsSharedAndNotStartedAgain()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await AddServerAsync(sidecar, "fixture", trusted: true);
        var servers = sidecar.Services.GetRequiredService<McpServers>();

        var calls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            sidecar.Runner.RunAsync(Grant(["mcp__fixture"]), "mcp__fixture__pid", Json("{}"), CancellationToken.None)));

        Assert.Single(calls.Select(c => c.Output).Distinct());
        Assert.NotEmpty(servers.StartedTools("fixture"));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
