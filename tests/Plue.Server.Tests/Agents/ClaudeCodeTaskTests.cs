using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>
/// A task on the claude-code backend over the real sidecar: the real claude CLI runs its own tool loop against the
/// scripted Anthropic fake, with the task's tools as its --tools, its MCP servers in its --mcp-config, and its approvals
/// asked of the client with the task id.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeTaskTests
{
    [ClaudeCliFact]
    public async Task ClaudeCodeTask_RunsTheCliToolLoop_AsksApprovalWithTheTaskId_AndCompletes()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await StartWorldAsync(isolated);
        var instance = await AddInstanceAsync(world, fake);
        var target = Path.Combine(world.Workspace, "hello.txt");
        fake.Enqueue(
            ScriptedReply.ToolUse("toolu_write", "Write", new JsonObject { ["file_path"] = target, ["content"] = "hi from the task" }, "I'll write it."),
            ScriptedReply.Text("Created hello.txt."));

        var started = (await world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task", ["prompt"] = "CLAUDE-1: create hello.txt", ["providerRef"] = instance["ref"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true,
            ["fields"] = new JsonObject { ["available_tools"] = new JsonArray("read", "write", "spawn_task"), ["max_spawned_tasks"] = 1 },
        }))!;
        var id = started["id"]!.GetValue<string>();
        var done = await world.WaitForStatusAsync(id, "completed", "failed", "cancelled");

        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        Assert.Equal("Created hello.txt.", done["result"]!.GetValue<string>());
        Assert.Equal("hi from the task", File.ReadAllText(target));
        var asked = Assert.Single(world.Approvals);
        // Asked under the plue tool's name, so an allow-always covers the same tool on every backend.
        Assert.Equal((id, "write"), (asked["taskId"]!.GetValue<string>(), asked["tool"]!.GetValue<string>()));
        Assert.Equal(target, asked["input"]!["file_path"]!.GetValue<string>());
        var waiting = world.Updates(id).First(u => u["status"]!.GetValue<string>() == "waiting-approval");
        Assert.Equal("write", waiting["pendingApproval"]!["tool"]!.GetValue<string>());

        // The CLI was given exactly the task's tools (read → Read, write → Write; no spawn_task there), and the model told so.
        var first = fake.StreamingMessages[0].Json!;
        Assert.Equal(["Read", "Write"], first["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order());
        Assert.Contains("Not available here: spawn_task", first["messages"]!.ToJsonString());
        Assert.Contains("CLAUDE-1: create hello.txt", first["messages"]!.ToJsonString());
        // The transcript keeps the CLI's own tool call and result.
        var parts = (await world.MessagesAsync(id))[1]!["parts"]!.AsArray();
        Assert.Equal("completed", parts.Single(p => p!["kind"]!.GetValue<string>() == "tool_use")!["state"]!.GetValue<string>());
        Assert.Single(parts, p => p!["kind"]!.GetValue<string>() == "tool_result");
    }

    /// <summary>Tasks in containers (docs/CONTAINERS.md): Claude Code runs its own tools on this machine, so it is refused a container.</summary>
    [ClaudeCliFact]
    public async Task ClaudeCodeTask_InAContainer_IsRefused_WithTheReason()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await StartWorldAsync(isolated);
        var instance = await AddInstanceAsync(world, fake);

        var started = (await world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task", ["prompt"] = "CLAUDE-CONTAINER", ["providerRef"] = instance["ref"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true,
            ["fields"] = new JsonObject { ["runs"] = "container" },
        }))!;
        var done = await world.WaitForStatusAsync(started["id"]!.GetValue<string>(), "completed", "failed", "cancelled");

        Assert.Equal("failed", done["status"]!.GetValue<string>());
        Assert.Equal(Plue.Agents.Containers.TaskContainers.RunsOwnTools, done["statusReason"]!.GetValue<string>());
        Assert.Empty(fake.StreamingMessages); // refused before the CLI was started
    }

    [ClaudeCliFact]
    public async Task ClaudeCodeTask_WithMcpTools_TheCliStartsTheServer_FromAPrivateConfigFile_AndAsksApprovalWithTheTaskId()
    {
        const string Secret = "fixture-secret-VALUE-7f3a";
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await StartWorldAsync(isolated);
        var instance = await AddInstanceAsync(world, fake);
        await world.Client.CallAsync("vault/store", new JsonObject { ["ref"] = "vault://fixture/secret", ["value"] = Secret });
        await world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "mcp-server", ["title"] = "Fixture", ["slug"] = "fixture",
            ["fields"] = new JsonObject
            {
                ["command"] = "node", ["args"] = new JsonArray(Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Tools", "Fixtures", "mcp-fixture-server.js")),
                ["env"] = new JsonArray("FIXTURE_SECRET=vault://fixture/secret"),
            },
        });
        fake.Enqueue(
            ScriptedReply.ToolUse("toolu_echo", "mcp__fixture__echo", new JsonObject { ["text"] = "round trip" }),
            ScriptedReply.ToolUse("toolu_env", "mcp__fixture__env", new JsonObject { ["names"] = new JsonArray("ANTHROPIC_API_KEY") }),
            ScriptedReply.Text("The server echoed."));
        // While the user is asked, the CLI is running: what its argv (/proc: Linux) and its config file hold is read then.
        var sessions = world.Sidecar.Services.GetRequiredService<ClaudeCodeSessions>();
        string? argv = null, configFile = null, config = null, environ = null;
        UnixFileMode? fileMode = null, folderMode = null;
        world.Decide = asked =>
        {
            if (OperatingSystem.IsLinux() && configFile is null && sessions.Find(asked["taskId"]!.GetValue<string>())?.ProcessId is { } pid)
            {
                var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                argv = string.Join(" ", args);
                configFile = args[Array.IndexOf(args, "--mcp-config") + 1];
                fileMode = File.GetUnixFileMode(configFile);
                folderMode = File.GetUnixFileMode(Path.GetDirectoryName(configFile)!);
                config = File.ReadAllText(configFile);
                environ = File.ReadAllText($"/proc/{pid}/environ");
            }
            return new JsonObject { ["decision"] = "allow" };
        };

        var started = (await world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task", ["prompt"] = "CLAUDE-MCP: echo through the fixture", ["providerRef"] = instance["ref"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true,
            ["fields"] = new JsonObject { ["available_tools"] = new JsonArray("read"), ["mcp_tools"] = new JsonArray("mcp__fixture__echo", "mcp__fixture__env") },
        }))!;
        var taskId = started["id"]!.GetValue<string>();
        var done = await world.WaitForStatusAsync(taskId, "completed", "failed", "cancelled");

        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        Assert.Equal("The server echoed.", done["result"]!.GetValue<string>());
        // Each MCP call was asked of the user under its own name, with the task's id.
        Assert.Equal([(taskId, "mcp__fixture__echo"), (taskId, "mcp__fixture__env")],
            world.Approvals.Select(a => (a["taskId"]!.GetValue<string>(), a["tool"]!.GetValue<string>())));
        // The model was offered the granted tools only (the server's others kept from it), and read the echo.
        var offered = fake.StreamingMessages[0].Json!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["Read", "mcp__fixture__echo", "mcp__fixture__env"], offered);
        Assert.Equal("round trip", ToolResult(fake, "toolu_echo"));
        // The server got its vault secret, and the instance's key the CLI holds only as an empty variable.
        var seen = JsonNode.Parse(ToolResult(fake, "toolu_env"))!;
        Assert.Equal(Secret, seen["secret"]!.GetValue<string>());
        Assert.Equal("", seen["values"]!["ANTHROPIC_API_KEY"]!.GetValue<string>());

        // The secret went to the CLI in its environment, named by a file of its own private folder (so no file a kill
        // leaves behind holds it), never in its argv; the file and its folder are gone now.
        if (!OperatingSystem.IsLinux()) return;
        Assert.NotNull(argv);
        Assert.DoesNotContain(Secret, argv);
        Assert.DoesNotContain(ClaudeWorld.ApiKey, argv);
        Assert.Contains("--strict-mcp-config", argv);
        Assert.DoesNotContain(Secret, config);
        Assert.Contains("\"FIXTURE_SECRET\":\"${PLUE_MCP_0_0}\"", config);
        Assert.Contains($"PLUE_MCP_0_0={Secret}\0", environ);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, fileMode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folderMode);
        Assert.False(File.Exists(configFile), "the MCP config outlived the CLI");
        Assert.False(Directory.Exists(Path.GetDirectoryName(configFile)), "the private folder outlived the CLI");
    }

    /// <summary>The sidecar, whose claude CLIs get an isolated config and home and no credential of this machine.</summary>
    internal static Task<AgentWorld> StartWorldAsync(TempDir isolated, bool trusted = true)
    {
        var environment = new Dictionary<string, string?>
        {
            ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(isolated.Path, "config")).FullName,
            ["HOME"] = Directory.CreateDirectory(Path.Combine(isolated.Path, "home")).FullName,
            ["ANTHROPIC_AUTH_TOKEN"] = null,
            ["CLAUDE_CODE_OAUTH_TOKEN"] = null,
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
        };
        return AgentWorld.StartAsync(s => s.AddSingleton(new ClaudeCodeChildEnvironment(environment)), trusted);
    }

    internal static async Task<JsonNode> AddInstanceAsync(AgentWorld world, ScriptedAnthropicServer fake) =>
        (await world.Client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Claude Code (fake model)", ["catalogProviderId"] = "claude-code", ["endpoint"] = fake.BaseUrl,
            ["apiKey"] = ClaudeWorld.ApiKey, ["cliPath"] = ClaudeCliFactAttribute.Find(),
        }))!;

    /// <summary>The text of the tool result the CLI sent its model for a tool use.</summary>
    private static string ToolResult(ScriptedAnthropicServer fake, string toolUseId)
    {
        var block = fake.StreamingMessages.SelectMany(r => r.Json!["messages"]!.AsArray()).SelectMany(m => m!["content"] as JsonArray ?? [])
            .First(b => b!["type"]?.GetValue<string>() == "tool_result" && b["tool_use_id"]?.GetValue<string>() == toolUseId)!;
        return block["content"] is JsonArray parts ? string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())) : block["content"]!.GetValue<string>();
    }
}
