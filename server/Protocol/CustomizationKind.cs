using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>What a customization file gives an agent (docs/CUSTOMIZATIONS.md has the layouts of each).</summary>
public enum CustomizationKind
{
    /// <summary>Text a turn's system prompt carries: AGENTS.md, CLAUDE.md, scoped rules.</summary>
    [JsonStringEnumMemberName("instructions")] Instructions,
    /// <summary>A SKILL.md an agent loads on demand.</summary>
    [JsonStringEnumMemberName("skill")] Skill,
    /// <summary>A prompt typed as <c>/name</c>.</summary>
    [JsonStringEnumMemberName("command")] Command,
    /// <summary>A custom agent: its prompt, tools and model.</summary>
    [JsonStringEnumMemberName("agent")] Agent,
    /// <summary>An agent hook: a command run at an agent event (not a template's automation hook).</summary>
    [JsonStringEnumMemberName("agentHook")] AgentHook,
    /// <summary>An MCP server a file names.</summary>
    [JsonStringEnumMemberName("mcpServer")] McpServer,
}
