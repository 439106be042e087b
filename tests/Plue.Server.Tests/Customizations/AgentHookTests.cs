using Plue.Customizations;
using Plue.Protocol;

namespace Plue.Tests.Customizations;

/// <summary>Agent hooks read from Claude Code's settings and Codex's hooks.json, and their matchers as Claude Code reads them.</summary>
public sealed class AgentHookTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plue-agent-hooks-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static AgentHook Hook(string? matcher) => new("PreToolUse", matcher, "true", 60, "claude-hooks", CustomizationScope.Workspace, "/w/.claude/settings.json", "/w");

    [Theory]
    [InlineData(null, "bash", true)]
    [InlineData("", "read", true)]
    [InlineData("*", "mcp__files__list", true)]
    [InlineData("Bash", "bash", true)]
    [InlineData("Bash", "read", false)]
    [InlineData("bash", "bash", true)] // Plue's own name works too
    [InlineData("Edit|Write", "write", true)]
    [InlineData("Edit|Write", "bash", false)]
    [InlineData("Grep", "search", true)]
    [InlineData("Notebook.*", "edit", false)]
    [InlineData("mcp__files__.*", "mcp__files__list", true)]
    [InlineData("mcp__files__.*", "mcp__other__list", false)]
    [InlineData("Bas", "bash", false)] // a whole name, never a part of one
    [InlineData("Bash(", "bash", false)] // not a regular expression: an exact name
    public void Matches_ReadsTheMatcherAsClaudeCodeDoes(string? matcher, string plueTool, bool matches) =>
        Assert.Equal(matches, Hook(matcher).Matches(plueTool));

    [Fact]
    public void Parse_ReadsNestedGroups_TheirTimeouts_AndCodexsFlatForm()
    {
        const string text = """
            {
              // comments and trailing commas, as the list reads them
              "permissions": {"allow": []},
              "hooks": {
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./a.sh", "timeout": 5}, {"type": "command", "command": "./b.sh"}]}],
                "Stop": [{"command": "notify-send done", "timeout": 0.5},],
                "BeforeAll": [{"hooks": [{"type": "command", "command": "never"}]}],
                "PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command"}]}],
              },
            }
            """;
        var hooks = AgentHooks.Parse(text, "claude-hooks", CustomizationScope.Workspace, "/w/.claude/settings.json", "/w");
        Assert.Equal([("PreToolUse", "Bash", "./a.sh", 5), ("PreToolUse", "Bash", "./b.sh", 60), ("Stop", (string?)null, "notify-send done", 1)],
            hooks.Select(h => (h.Event, h.Matcher, h.Command, h.TimeoutSeconds)));
        Assert.Equal("PreToolUse (Bash)", hooks[0].ItemName);
        Assert.Equal("Stop", hooks[2].ItemName);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"hooks\": []}")]
    [InlineData("{\"other\": {}}")]
    public void Parse_FindsNothingInAFileThatIsNoHooksFile(string text) =>
        Assert.Empty(AgentHooks.Parse(text, "codex-hooks", CustomizationScope.User, "/h/.codex/hooks.json", null));

    [Fact]
    public void Read_TakesTheUsedGroupsOfAFileWithABomAndCrlf_AndLeavesTheIgnoredOut()
    {
        var workspace = Path.Combine(_root, "w");
        Directory.CreateDirectory(Path.Combine(workspace, ".claude"));
        Directory.CreateDirectory(Path.Combine(workspace, ".codex"));
        File.WriteAllText(Path.Combine(workspace, ".claude", "settings.local.json"),
            "\uFEFF{\r\n  \"hooks\": {\r\n    \"UserPromptSubmit\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"./guard.sh\"}]}],\r\n    \"Stop\": [{\"hooks\": [{\"type\": \"command\"}]}]\r\n  }\r\n}\r\n");
        File.WriteAllText(Path.Combine(workspace, ".codex", "hooks.json"), "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"command\": \"./codex.sh\"}]}}");

        var items = CustomizationScanner.Scan([workspace], trusted: true, home: null);
        var hooks = AgentHooks.Read(items, [workspace], null);

        Assert.Equal([("UserPromptSubmit", "./guard.sh", "claude-hooks"), ("PreToolUse", "./codex.sh", "codex-hooks")], hooks.Select(h => (h.Event, h.Command, h.Layout)));
        Assert.All(hooks, h => Assert.Equal(workspace, h.Folder));
        var stop = Assert.Single(items, i => i.Name == "Stop");
        Assert.Equal(CustomizationStatus.Ignored, stop.Status);
    }

    [Fact]
    public void Read_AnUntrustedWorkspaceGivesNoneOfItsHooks_TheUsersStill()
    {
        var workspace = Path.Combine(_root, "w");
        var home = Path.Combine(_root, "home");
        foreach (var root in new[] { workspace, home })
        {
            Directory.CreateDirectory(Path.Combine(root, ".claude"));
            File.WriteAllText(Path.Combine(root, ".claude", "settings.json"), "{\"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"./stop.sh\"}]}]}}");
        }

        var items = CustomizationScanner.Scan([workspace], trusted: false, home);
        var hook = Assert.Single(AgentHooks.Read(items, [workspace], home));

        Assert.Equal(CustomizationScope.User, hook.Scope);
        Assert.Null(hook.Folder);
        Assert.StartsWith("the workspace is not trusted", Assert.Single(items, i => i.Scope == CustomizationScope.Workspace).Reason);
    }
}
