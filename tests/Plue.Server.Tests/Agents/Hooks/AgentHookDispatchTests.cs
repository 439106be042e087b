using Microsoft.Extensions.Logging.Abstractions;
using Plue.Agents.Hooks;
using Plue.Customizations;
using Plue.Tests.Codex.Records;
using Plue.Workspace;

namespace Plue.Tests.Agents.Hooks;

/// <summary>Which hooks an event runs: on a Claude Code backend, never Claude Code's settings' hooks (the CLI runs them itself).</summary>
public sealed class AgentHookDispatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plue-hook-dispatch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(false, new[] { "claude-ran", "codex-ran" })]
    [InlineData(true, new[] { "codex-ran" })]
    public async Task RunAsync_OnAClaudeCodeBackend_LeavesClaudeCodesSettingsHooksToIt(bool claudeCode, string[] ran)
    {
        var workspace = Path.Combine(_root, "w");
        Directory.CreateDirectory(Path.Combine(workspace, ".claude"));
        Directory.CreateDirectory(Path.Combine(workspace, ".codex"));
        File.WriteAllText(Path.Combine(workspace, ".claude", "settings.json"), "{\"hooks\": {\"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"touch claude-ran\"}]}]}}");
        File.WriteAllText(Path.Combine(workspace, ".codex", "hooks.json"), "{\"hooks\": {\"UserPromptSubmit\": [{\"command\": \"touch codex-ran\"}]}}");
        var context = new WorkspaceContext();
        context.Initialize(Path.Combine(_root, "plue-home"), [workspace], trusted: true);
        using var codex = new CodexWorld();
        using var registry = new CustomizationRegistry(context, codex.Service, NullLogger<CustomizationRegistry>.Instance);
        var dispatch = new AgentHookDispatch(registry, context, new AgentHookRunner(), NullLogger<AgentHookDispatch>.Instance);

        var outcome = await dispatch.RunAsync(new AgentHookCall("UserPromptSubmit", "chat-1", null, claudeCode) { Prompt = "hi" }, CancellationToken.None);

        Assert.False(outcome.Blocked);
        Assert.Equal(ran, new[] { "claude-ran", "codex-ran" }.Where(f => File.Exists(Path.Combine(workspace, f))));
    }
}
