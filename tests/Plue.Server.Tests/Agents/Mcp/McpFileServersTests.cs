using System.Text.Json;
using Plue.Agents.Mcp;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Tests.Support;
using Plue.Tests.Vault;

namespace Plue.Tests.Agents.Mcp;

/// <summary>
/// A server of an MCP file as the server to start and as the view shows it (docs/CUSTOMIZATIONS.md, MCP servers from
/// files): VS Code's remote format, its placeholders, and nothing of a value in the view.
/// </summary>
public sealed class McpFileServersTests
{
    private static FileMcpServer Server(string name, string json, IReadOnlyList<McpFileInput>? inputs = null, CustomizationScope scope = CustomizationScope.Workspace) =>
        new(name, "/w/.vscode/mcp.json", ".vscode/mcp.json", "vscode-mcp", scope, "/w", JsonDocument.Parse(json).RootElement.Clone(), inputs ?? [], null);

    [Fact]
    public void ARemoteServer_TakesItsUrlAndHeaders_WithAnInputAsItsVaultReference_AndSseAsHttp()
    {
        var server = Server("Docs API", """{"type": "sse", "url": "https://${env:PLUE_TEST_DOCS_HOST}/mcp", "headers": {"Authorization": "Bearer ${input:token}"}}""",
            [new McpFileInput("token", "The token", Password: true)]);
        Environment.SetEnvironmentVariable("PLUE_TEST_DOCS_HOST", "docs.example.com");
        var config = McpFileServers.Config(server, "/w", "/home/u");
        Assert.Equal("docs-api", config.Slug);
        Assert.Equal(McpServerConfig.Http, config.Transport);
        Assert.Equal("https://docs.example.com/mcp", config.Url);
        Assert.Equal([KeyValuePair.Create("Authorization", "Bearer vault://mcp/docs-api.token")], config.Headers);
        Assert.Equal("token", Assert.Single(config.Inputs).Id);
        Assert.False(config.Trusted);
        Assert.Equal(".vscode/mcp.json", config.File);
    }

    [Fact]
    public void AStdioServer_FillsInTheFolders_AndAnUndeclaredInputIsAskedAsASecret()
    {
        var server = Server("files", """{"command": "${workspaceFolder}/bin/srv", "args": ["--home", "${userHome}"], "env": {"KEY": "${input:key}", "PORT": 8080}}""",
            scope: CustomizationScope.User) with { Root = "/home/u" };
        var config = McpFileServers.Config(server, "/w", "/home/u");
        Assert.Equal("/w/bin/srv", config.Command);
        Assert.Equal(["--home", "/home/u"], config.Args);
        Assert.Equal([KeyValuePair.Create("KEY", "vault://mcp/files.key"), KeyValuePair.Create("PORT", "8080")], config.Env);
        Assert.True(Assert.Single(config.Inputs).Password);
    }

    [Fact]
    public void TheView_ShowsNamesAndTheFile_NeverAValue()
    {
        var view = McpFileServers.Server(Server("db", """{"command": "db-mcp", "args": ["--password", "hunter2"], "env": {"DB_PASSWORD": "hunter2", "TOKEN": "${input:tok}"}}"""),
            new HashSet<string>(["vault://mcp/db.tok"]));
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize<IReadOnlyList<McpServer>>([view], PlueJsonContext.Default.IReadOnlyListMcpServer));
        Assert.Equal(".vscode/mcp.json", view.File);
        Assert.Equal(["DB_PASSWORD", "TOKEN"], view.Env.Select(e => e.Name));
        Assert.True(Assert.Single(view.Inputs!).Stored);
        Assert.Null(view.Ignored);
    }

    [Fact]
    public void AStdioServer_RunsInItsCwd_WithItsEnvFile_ItsEnvWinning_AndBothStayInsideTheFolder()
    {
        using var workspace = new TempDir();
        using var vault = new VaultWorld(VaultWorld.NewKey());
        Directory.CreateDirectory(Path.Combine(workspace.Path, "tools"));
        File.WriteAllText(Path.Combine(workspace.Path, ".env"), "# the keys\r\nexport A=1\nB=from-file\n\nC=\"a quoted value\"\n");
        var server = Server("files", """{"command": "node", "cwd": "${workspaceFolder}/tools", "envFile": ".env", "env": {"B": "from-env"}}""") with { Root = workspace.Path };
        var secrets = new McpSecrets(null, "files");

        var options = McpLaunch.Options(McpFileServers.Config(server, workspace.Path, null), vault.Vault, workspace.Path, secrets, Plue.Sandbox.SandboxPolicy.Off);

        Assert.Equal(Plue.Codex.Content.ConfinedPath.RealPath(Path.Combine(workspace.Path, "tools")), options.WorkingDirectory);
        Assert.Equal(("1", "from-env", "a quoted value"), (options.EnvironmentVariables!["A"], options.EnvironmentVariables["B"], options.EnvironmentVariables["C"]));
        Assert.DoesNotContain("a quoted value", secrets.Scrub("it said a quoted value"), StringComparison.Ordinal); // scrubbed as env's values are

        var outside = Server("files", """{"command": "node", "cwd": "${workspaceFolder}/../elsewhere"}""") with { Root = workspace.Path };
        var error = Assert.Throws<McpException>(() => McpLaunch.Options(McpFileServers.Config(outside, workspace.Path, null), vault.Vault, workspace.Path, null, Plue.Sandbox.SandboxPolicy.Off));
        Assert.Contains("its cwd", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a folder inside", error.Message, StringComparison.Ordinal);
        var missing = Server("files", """{"command": "node", "envFile": "nope.env"}""") with { Root = workspace.Path };
        Assert.Contains("its envFile", Assert.Throws<McpException>(() => McpLaunch.Options(McpFileServers.Config(missing, workspace.Path, null), vault.Vault, workspace.Path)).Message, StringComparison.Ordinal);
    }
}
