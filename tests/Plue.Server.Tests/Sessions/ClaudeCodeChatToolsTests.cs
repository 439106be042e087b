using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat on the claude-code backend follows its mode through the CLI's own <c>--tools</c>: a chat outside any mode gets
/// only its <c>available_tools</c> (none: the CLI's model is offered no tool at all), an Ask chat only reads and searches
/// (it cannot write), and an Agent chat runs Bash behind the sidecar's approval, asked with the chat's id.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeChatToolsTests
{
    [ClaudeCliFact]
    public async Task ClaudeCodeChat_FollowsItsMode_AskCannotWrite_AgentRunsBashBehindApproval()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await ClaudeCodeTaskTests.StartWorldAsync(isolated);
        var instance = await ClaudeCodeTaskTests.AddInstanceAsync(world, fake);
        fake.Enqueue(
            ScriptedReply.Text("No tools here."),
            ScriptedReply.Text("I can only read."),
            ScriptedReply.ToolUse("toolu_b", "Bash", new JsonObject { ["command"] = "touch made-by-bash.txt", ["description"] = "Make a file" }, "Running."),
            ScriptedReply.Text("Made."));

        var plain = await ChatAsync(world, instance, new JsonObject { ["mode"] = null });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = plain, ["text"] = "hello" });
        var ask = await ChatAsync(world, instance, new JsonObject { ["mode"] = "mode-ask" });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = ask, ["text"] = "write chat.txt" });
        var agent = await ChatAsync(world, instance, new JsonObject { ["mode"] = "mode-agent" });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = agent, ["text"] = "make a file with bash" });

        Assert.Empty(Tools(fake, 0));
        Assert.Equal(["Glob", "Grep", "Read"], Tools(fake, 1));
        Assert.Equal(["Bash", "Edit", "Glob", "Grep", "Read", "Write"], Tools(fake, 2));
        var asked = Assert.Single(world.Approvals);
        Assert.Equal((agent, "bash"), (asked["sessionId"]!.GetValue<string>(), asked["tool"]!.GetValue<string>()));
        Assert.True(File.Exists(Path.Combine(world.Workspace, "made-by-bash.txt")));
    }

    [ClaudeCliFact]
    public async Task ClaudeCodeChat_SwitchedToAgent_GetsItsTools_AndAWriteAsks_ThoughTheWorkspaceSettingsAcceptEdits()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await ClaudeCodeTaskTests.StartWorldAsync(isolated);
        var instance = await ClaudeCodeTaskTests.AddInstanceAsync(world, fake);
        // A cloned repository may tell the CLI to accept edits unasked: the chat's mode decides, not the workspace.
        Directory.CreateDirectory(Path.Combine(world.Workspace, ".claude"));
        await File.WriteAllTextAsync(Path.Combine(world.Workspace, ".claude", "settings.json"), """{ "permissions": { "defaultMode": "acceptEdits" } }""");
        var target = Path.Combine(world.Workspace, "notes.txt");
        fake.Enqueue(
            ScriptedReply.Text("I can only read."),
            ScriptedReply.ToolUse("toolu_w", "Write", new JsonObject { ["file_path"] = target, ["content"] = "from the agent" }, "Writing."),
            ScriptedReply.Text("Written."));

        var chat = await ChatAsync(world, instance, new JsonObject { ["mode"] = "mode-ask" });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = chat, ["text"] = "hello" });
        await world.Client.CallAsync("session/setMode", new JsonObject { ["id"] = chat, ["mode"] = "mode-agent" });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = chat, ["text"] = "write notes.txt" });

        Assert.Equal(["Glob", "Grep", "Read"], Tools(fake, 0));
        Assert.Equal(["Bash", "Edit", "Glob", "Grep", "Read", "Write"], Tools(fake, 1));
        var asked = Assert.Single(world.Approvals);
        Assert.Equal((chat, "write"), (asked["sessionId"]!.GetValue<string>(), asked["tool"]!.GetValue<string>()));
        Assert.Equal("from the agent", File.ReadAllText(target));
    }

    private static string[] Tools(ScriptedAnthropicServer fake, int request) =>
        [.. (fake.StreamingMessages[request].Json!["tools"] as JsonArray ?? []).Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static async Task<string> ChatAsync(AgentWorld world, JsonNode instance, JsonObject fields)
    {
        var chat = (await world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        var record = (await world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await world.Client.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = fields });
        return id;
    }
}
