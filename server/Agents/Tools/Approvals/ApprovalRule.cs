using System.Text.Json;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// One rule of the approval rule list: a tool (an MCP server's <c>mcp__server</c> stands for each of its tools),
/// narrowed by a bash command prefix or a write/edit path glob, and what it decides. <see cref="Source"/> says where
/// the rule comes from (the mode, a workspace's, chat's or task's grant); <see cref="GrantId"/> is the grant record's.
/// </summary>
public sealed record ApprovalRule
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string Ask = "ask";

    public const string FromMode = "mode";
    public const string FromWorkspace = "workspace";
    public const string FromChat = "chat";
    public const string FromTask = "task";
    /// <summary>A rules file given to <c>plue approvals replay --rules</c>: weighed in place of the rules in force.</summary>
    public const string FromFile = "file";

    public required string Source { get; init; }
    public required string Tool { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    public string Decision { get; init; } = Allow;
    public string? GrantId { get; init; }

    /// <summary>The rule as a user reads it: <c>bash `npm test`</c>, <c>write src/**</c>, <c>bash</c>.</summary>
    public string What => CommandPrefix is { Length: > 0 } prefix ? $"{Tool} `{prefix}`" : PathGlob is { Length: > 0 } glob ? $"{Tool} {glob}" : Tool;

    /// <summary>Whether the rule speaks of this call: its tool, and its prefix or glob when it has one.</summary>
    public bool Matches(string tool, JsonElement input, IReadOnlyList<string> folders)
    {
        if (Tool != tool && !(ToolNames.McpServerOf(tool) is { } server && Tool == ToolNames.McpPrefix + server)) return false;
        if (CommandPrefix is { Length: > 0 } prefix && !Approvals.CommandPrefix.Matches(Text(input, "command"), prefix)) return false;
        // The Claude Code CLI's and ACP agents' file tools name the path file_path.
        if (PathGlob is { Length: > 0 } glob && !Approvals.PathGlob.Matches(glob, Text(input, "path") ?? Text(input, "file_path"), folders)) return false;
        return true;
    }

    private static string? Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What the rule list decided for one call, and the rule that decided it (null: no rule spoke, so ask).</summary>
public sealed record ApprovalVerdict(string Decision, ApprovalRule? Rule)
{
    /// <summary>
    /// The one evaluation every door uses (chats, tasks, <c>plue ask</c>, <c>plue acp</c>): a matching deny decides
    /// wherever it stands in the list; else the first matching allow, in the list's order (the mode's rules, the
    /// workspace's grants, the chat's or task's); else the user is asked.
    /// </summary>
    public static ApprovalVerdict Evaluate(IEnumerable<ApprovalRule> rules, string tool, JsonElement input, IReadOnlyList<string> folders)
    {
        ApprovalRule? allow = null;
        foreach (var rule in rules)
        {
            if (!rule.Matches(tool, input, folders)) continue;
            if (rule.Decision == ApprovalRule.Deny) return new(ApprovalRule.Deny, rule);
            allow ??= rule.Decision == ApprovalRule.Allow ? rule : null;
        }
        return allow is null ? new(ApprovalRule.Ask, null) : new(ApprovalRule.Allow, allow);
    }
}
