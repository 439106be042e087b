using System.Text.Json.Nodes;
using Plue.Tests.Agents;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// An untrusted workspace runs nothing it brings through the Claude Code backend: the real CLI, started by a chat in a
/// workspace the user has not trusted, runs none of the workspace's <c>.claude/settings.json</c> hooks and sends none of
/// its CLAUDE.md to the model; the same chat in a trusted workspace runs and sends both.
/// </summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeUntrustedWorkspaceTests
{
    private const string Instructions = "WORKSPACE-CLAUDE-MD-7f3a: always answer in French.";

    [ClaudeCliFact]
    public async Task UntrustedWorkspace_ClaudeCodeChat_RunsNoWorkspaceHook_AndSendsNoClaudeMd()
    {
        var (hookRan, sent) = await ChatInWorkspaceAsync(trusted: false);

        Assert.False(hookRan, "a workspace hook ran in an untrusted workspace");
        Assert.DoesNotContain("WORKSPACE-CLAUDE-MD-7f3a", sent);
    }

    [ClaudeCliFact]
    public async Task TrustedWorkspace_ClaudeCodeChat_RunsTheWorkspaceHooks_AndSendsItsClaudeMd()
    {
        var (hookRan, sent) = await ChatInWorkspaceAsync(trusted: true);

        Assert.True(hookRan, "the trusted workspace's hook did not run");
        Assert.Contains("WORKSPACE-CLAUDE-MD-7f3a", sent);
    }

    /// <summary>Whether a workspace hook wrote its marker, and what the CLI sent the model, after one chat turn.</summary>
    private static async Task<(bool HookRan, string Sent)> ChatInWorkspaceAsync(bool trusted)
    {
        using var isolated = new TempDir();
        await using var fake = ScriptedAnthropicServer.Start();
        await using var world = await ClaudeCodeTaskTests.StartWorldAsync(isolated, trusted);
        var instance = await ClaudeCodeTaskTests.AddInstanceAsync(world, fake);
        var marker = Path.Combine(world.Workspace, "hook-ran.txt");
        Directory.CreateDirectory(Path.Combine(world.Workspace, ".claude"));
        var hook = new JsonArray(new JsonObject { ["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = $"touch '{marker}'" }) });
        await File.WriteAllTextAsync(Path.Combine(world.Workspace, ".claude", "settings.json"),
            new JsonObject { ["hooks"] = new JsonObject { ["SessionStart"] = hook.DeepClone(), ["UserPromptSubmit"] = hook } }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(world.Workspace, "CLAUDE.md"), Instructions + "\n");
        fake.Enqueue(ScriptedReply.Text("Bonjour."));

        var chat = (await world.Client.CallAsync("session/create", new JsonObject
        {
            ["instanceId"] = instance["id"]!.GetValue<string>(), ["modelId"] = ClaudeWorld.Model, ["allowUnlisted"] = true, ["title"] = "Trust",
        }))!["id"]!.GetValue<string>();
        await world.Client.CallAsync("session/send", new JsonObject { ["sessionId"] = chat, ["text"] = "hello" });

        var sent = string.Join("\n", fake.StreamingMessages.Select(r => r.Json!.ToJsonString()));
        Assert.Contains("hello", sent);
        return (File.Exists(marker), sent);
    }
}
