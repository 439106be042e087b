using System.Text.RegularExpressions;
using Plue.Protocol;
using static Plue.Customizations.LayoutFormat;
using static Plue.Customizations.LayoutShape;

namespace Plue.Customizations;

/// <summary>
/// Every layout Plue looks in, in precedence order within a level: the first layout that gives a skill, command, agent
/// or MCP server a name wins it, and the workspace's layouts come before the user's (docs/CUSTOMIZATIONS.md's table).
/// </summary>
public static partial class CustomizationLayouts
{
    private const CustomizationScope Workspace = CustomizationScope.Workspace;
    private const CustomizationScope User = CustomizationScope.User;

    private static readonly NameRule s_lowercase = new(Lowercase(), "lowercase letters, digits and single hyphens, at most 64 characters");
    private static readonly NameRule s_command = new(CommandName(), "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters (it is typed as /name)");
    private static readonly NameRule s_any = new(AnyName(), "at most 64 characters, no line break");

    private static readonly string[] s_githubInstructions = ["applyTo", "description", "name", "excludeAgent"];
    private static readonly string[] s_cursorRules = ["description", "globs", "alwaysApply"];
    private static readonly string[] s_skill = ["name", "description", "license", "compatibility", "metadata", "allowed-tools",
        "disable-model-invocation", "user-invocable", "argument-hint", "model", "context", "agent", "hooks", "version"];
    private static readonly string[] s_claudeCommand = ["description", "allowed-tools", "argument-hint", "model", "disable-model-invocation"];
    private static readonly string[] s_githubPrompt = ["description", "name", "argument-hint", "agent", "mode", "model", "tools"];
    private static readonly string[] s_opencodeCommand = ["description", "agent", "model", "subtask"];
    private static readonly string[] s_codexPrompt = ["description", "argument-hint"];
    private static readonly string[] s_claudeAgent = ["name", "description", "tools", "disallowedTools", "model", "permissionMode", "skills", "hooks", "color", "mcpServers", "memory"];
    private static readonly string[] s_githubAgent = ["name", "description", "tools", "model", "target", "handoffs", "argument-hint", "infer",
        "mcp-servers", "metadata", "disable-model-invocation", "user-invokable", "agents"];
    private static readonly string[] s_chatMode = ["description", "tools", "model"];
    private static readonly string[] s_nameAndDescription = ["name", "description"];

    /// <summary>The workspace folder's layouts, then the user's home's, each in precedence order.</summary>
    public static IReadOnlyList<CustomizationLayout> All { get; } =
    [
        // Instructions: all of them apply; none shadows another.
        new("agents-md", CustomizationKind.Instructions, Workspace, "AGENTS.md", Nested, Markdown),
        new("claude-md", CustomizationKind.Instructions, Workspace, "CLAUDE.md", Nested, Markdown),
        new("gemini-md", CustomizationKind.Instructions, Workspace, "GEMINI.md", OneFile, Markdown),
        new("copilot-instructions", CustomizationKind.Instructions, Workspace, ".github/copilot-instructions.md", OneFile, Markdown),
        new("github-instructions", CustomizationKind.Instructions, Workspace, ".github/instructions", Folder, MarkdownFields, ".instructions.md", s_githubInstructions),
        new("cursor-rules", CustomizationKind.Instructions, Workspace, ".cursor/rules", Folder, MarkdownFields, ".mdc", s_cursorRules),
        new("clinerules", CustomizationKind.Instructions, Workspace, ".clinerules", FileOrFolder, Markdown, ".md"),
        new("plue-rules", CustomizationKind.Instructions, Workspace, ".plue/rules", Folder, Markdown, ".md"),
        // Skills: a SKILL.md per folder, its name the folder's.
        Skill("claude-skills", Workspace, ".claude/skills"),
        Skill("agents-skills", Workspace, ".agents/skills"),
        Skill("github-skills", Workspace, ".github/skills"),
        Skill("opencode-skills", Workspace, ".opencode/skills"),
        Skill("codex-skills", Workspace, ".codex/skills"),
        // Commands, typed as /name.
        new("claude-commands", CustomizationKind.Command, Workspace, ".claude/commands", Folder, MarkdownFields, ".md", s_claudeCommand, NameRule: s_command),
        new("github-prompts", CustomizationKind.Command, Workspace, ".github/prompts", Folder, MarkdownFields, ".prompt.md", s_githubPrompt, NameField: "name", NameRule: s_command),
        new("opencode-commands", CustomizationKind.Command, Workspace, ".opencode/command", Folder, MarkdownFields, ".md", s_opencodeCommand, NameRule: s_command),
        new("opencode-commands", CustomizationKind.Command, Workspace, ".opencode/commands", Folder, MarkdownFields, ".md", s_opencodeCommand, NameRule: s_command),
        // Agents.
        new("claude-agents", CustomizationKind.Agent, Workspace, ".claude/agents", Folder, MarkdownFields, ".md", s_claudeAgent, s_nameAndDescription, "name", s_lowercase),
        new("github-agents", CustomizationKind.Agent, Workspace, ".github/agents", Folder, MarkdownFields, ".agent.md", s_githubAgent, NameField: "name", NameRule: s_any),
        new("github-chatmodes", CustomizationKind.Agent, Workspace, ".github/chatmodes", Folder, MarkdownFields, ".chatmode.md", s_chatMode, NameRule: s_any),
        // Agent hooks: all of them apply.
        new("claude-hooks", CustomizationKind.AgentHook, Workspace, ".claude/settings.json", OneFile, Hooks),
        new("claude-hooks", CustomizationKind.AgentHook, Workspace, ".claude/settings.local.json", OneFile, Hooks),
        new("codex-hooks", CustomizationKind.AgentHook, Workspace, ".codex/hooks.json", OneFile, Hooks),
        // MCP servers, by their key.
        new("vscode-mcp", CustomizationKind.McpServer, Workspace, ".vscode/mcp.json", OneFile, Mcp, JsonKey: "servers"),
        new("claude-mcp", CustomizationKind.McpServer, Workspace, ".mcp.json", OneFile, Mcp, JsonKey: "mcpServers"),
        new("cursor-mcp", CustomizationKind.McpServer, Workspace, ".cursor/mcp.json", OneFile, Mcp, JsonKey: "mcpServers"),

        new("claude-md", CustomizationKind.Instructions, User, ".claude/CLAUDE.md", OneFile, Markdown),
        new("agents-md", CustomizationKind.Instructions, User, ".codex/AGENTS.md", OneFile, Markdown),
        new("gemini-md", CustomizationKind.Instructions, User, ".gemini/GEMINI.md", OneFile, Markdown),
        Skill("claude-skills", User, ".claude/skills"),
        Skill("agents-skills", User, ".agents/skills"),
        Skill("github-skills", User, ".copilot/skills"),
        Skill("opencode-skills", User, ".config/opencode/skills"),
        Skill("codex-skills", User, ".codex/skills"),
        new("claude-commands", CustomizationKind.Command, User, ".claude/commands", Folder, MarkdownFields, ".md", s_claudeCommand, NameRule: s_command),
        new("opencode-commands", CustomizationKind.Command, User, ".config/opencode/command", Folder, MarkdownFields, ".md", s_opencodeCommand, NameRule: s_command),
        new("opencode-commands", CustomizationKind.Command, User, ".config/opencode/commands", Folder, MarkdownFields, ".md", s_opencodeCommand, NameRule: s_command),
        new("codex-prompts", CustomizationKind.Command, User, ".codex/prompts", Folder, MarkdownFields, ".md", s_codexPrompt, NameRule: s_command),
        new("claude-agents", CustomizationKind.Agent, User, ".claude/agents", Folder, MarkdownFields, ".md", s_claudeAgent, s_nameAndDescription, "name", s_lowercase),
        new("claude-hooks", CustomizationKind.AgentHook, User, ".claude/settings.json", OneFile, Hooks),
        new("codex-hooks", CustomizationKind.AgentHook, User, ".codex/hooks.json", OneFile, Hooks),
        new("cursor-mcp", CustomizationKind.McpServer, User, ".cursor/mcp.json", OneFile, Mcp, JsonKey: "mcpServers"),
    ];

    /// <summary>The agent events a hooks file may name (Claude Code's, which Codex's hooks.json shares).</summary>
    public static IReadOnlyList<string> HookEvents { get; } =
        ["PreToolUse", "PostToolUse", "UserPromptSubmit", "Stop", "SubagentStart", "SubagentStop", "SessionStart", "SessionEnd",
         "Notification", "PreCompact", "PostCompact", "PermissionRequest"];

    /// <summary>The folders of the home that hold its layouts ('/' separated): what a watcher of the home looks in.</summary>
    public static IReadOnlyList<string> HomeFolders { get; } = [.. All.Where(l => l.Scope == User)
        .Select(l => l.Path.Split('/') is [".config", var app, ..] ? $".config/{app}" : l.Path.Split('/')[0]).Distinct(StringComparer.Ordinal)];

    private static CustomizationLayout Skill(string id, CustomizationScope scope, string path) =>
        new(id, CustomizationKind.Skill, scope, path, SkillFolders, MarkdownFields, "", s_skill, s_nameAndDescription, "name", s_lowercase);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Lowercase();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^[^\r\n]+$")]
    private static partial Regex AnyName();
}
