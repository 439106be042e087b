using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat on the claude-code backend gets exactly its <c>available_tools</c> as the CLI's <c>--tools</c>: none by
/// default (the CLI's model is offered no tool at all), and what the user turned on otherwise, asked for with the chat's id.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeChatToolsTests
{
    [ClaudeCliFact]
    public async Task ClaudeCodeChat_GetsNoToolsByDefault_AndOnlyThoseTurnedOn()
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await ClaudeCodeTaskTests.StartWorldAsync(isolated);
        var instance = await ClaudeCodeTaskTests.AddInstanceAsync(world, fake);
        var target = Path.Combine(world.Workspace, "chat.txt");
        fake.Enqueue(
            ScriptedReply.Text("No tools here."),
            ScriptedReply.ToolUse("toolu_w", "Write", new JsonObject { ["file_path"] = target, ["content"] = "from the chat" }, "Writing."),
            ScriptedReply.Text("Written."));

        var plain = await ChatAsync(world, instance, new JsonObject());
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = plain, ["text"] = "hello" });
        var withTools = await ChatAsync(world, instance, new JsonObject { ["available_tools"] = new JsonArray("read", "write") });
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = withTools, ["text"] = "write chat.txt" });

        Assert.Empty(fake.StreamingMessages[0].Json!["tools"] as JsonArray ?? []);
        Assert.Equal(["Read", "Write"], fake.StreamingMessages[1].Json!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order());
        var asked = Assert.Single(world.Approvals);
        Assert.Equal((withTools, "write"), (asked["sessionId"]!.GetValue<string>(), asked["tool"]!.GetValue<string>()));
        Assert.Equal("from the chat", File.ReadAllText(target));
    }

    private static async Task<string> ChatAsync(AgentWorld world, JsonNode instance, JsonObject fields)
    {
        var chat = (await world.Client.CallAsync("session/create", new JsonObject { ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true , ["title"] = "Test chat" }))!;
        var id = chat["id"]!.GetValue<string>();
        var record = (await world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await world.Client.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = fields });
        return id;
    }
}
