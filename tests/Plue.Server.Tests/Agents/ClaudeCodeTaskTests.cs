using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>
/// A task on the claude-code backend over the real sidecar: the real claude CLI runs its own tool loop against the
/// scripted Anthropic fake, with the task's tools as its --tools and its approvals asked of the client with the task id.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeTaskTests
{
    [ClaudeCliFact]
    public async Task ClaudeCodeTask_RunsTheCliToolLoop_AsksApprovalWithTheTaskId_AndCompletes()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        var environment = new Dictionary<string, string?>
        {
            ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(isolated.Path, "config")).FullName,
            ["HOME"] = Directory.CreateDirectory(Path.Combine(isolated.Path, "home")).FullName,
            ["ANTHROPIC_AUTH_TOKEN"] = null,
            ["CLAUDE_CODE_OAUTH_TOKEN"] = null,
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
        };
        await using var world = await AgentWorld.StartAsync(s => s.AddSingleton(new ClaudeCodeChildEnvironment(environment)));
        var instance = (await world.Client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Claude Code (fake model)", ["catalogProviderId"] = "claude-code", ["endpoint"] = fake.BaseUrl,
            ["apiKey"] = ClaudeWorld.ApiKey, ["cliPath"] = ClaudeCliFactAttribute.Find(),
        }))!;
        var target = Path.Combine(world.Workspace, "hello.txt");
        fake.Enqueue(
            ScriptedReply.ToolUse("toolu_write", "Write", new JsonObject { ["file_path"] = target, ["content"] = "hi from the task" }, "I'll write it."),
            ScriptedReply.Text("Created hello.txt."));

        var started = (await world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task", ["prompt"] = "CLAUDE-1: create hello.txt", ["providerRef"] = instance["ref"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model,
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
}
