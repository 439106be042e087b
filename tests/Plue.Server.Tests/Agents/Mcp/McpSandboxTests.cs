using Microsoft.Extensions.Logging.Abstractions;
using Plue.Agents.Mcp;
using Plue.Sandbox;
using Plue.Tests.Support;
using Plue.Tests.Vault;

namespace Plue.Tests.Agents.Mcp;

/// <summary>A sandboxed stdio MCP server (Fixtures/mcp-offerings-server.js in bubblewrap) and the thread that started it.</summary>
public sealed class McpSandboxTests
{
    private static readonly string s_fixture = Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Mcp", "Fixtures", "mcp-offerings-server.js");

    [BwrapFact]
    public async Task ASandboxedStdioServer_OutlivesTheThreadThatStartedIt()
    {
        using var workspace = new TempDir();
        using var vault = new VaultWorld(VaultWorld.NewKey());
        var config = new McpServerConfig
        {
            Slug = "offerings", Title = "Offerings", Version = 1, Command = "node", Args = [s_fixture], Env = [], Trusted = true, Enabled = true,
        };
        var transport = McpLaunch.Transport(McpLaunch.Options(config, vault.Vault, workspace.Path, null, SandboxPolicy.WorkspaceWrite), NullLoggerFactory.Instance);

        // Connected from a thread that ends at once, as a pool thread that idles does: bwrap's --die-with-parent
        // follows the thread that started it, so a server started there dies with it.
        Task<McpConnection>? starting = null;
        var thread = new Thread(() => starting = McpConnection.StartAsync(config, transport, NullLoggerFactory.Instance));
        thread.Start();
        thread.Join();
        await using var connection = await starting!;
        await Task.Delay(300);

        Assert.Equal(["fixture://parts", "fixture://logo"], (await connection.ResourcesAsync(default)).Select(r => r.Uri));
    }
}
