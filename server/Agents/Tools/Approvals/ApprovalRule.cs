using System.Text.Json;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// One rule of the approval rule list: a tool (an MCP server's <c>mcp__server</c> stands for each of its tools),
/// narrowed by a bash command prefix, a write/edit path glob or a host, and what it decides. <see cref="Source"/> says
/// where the rule comes from (the mode, a user-wide, workspace's, chat's or task's grant); <see cref="GrantId"/> is the
/// grant record's.
/// </summary>
public sealed record ApprovalRule
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string Ask = "ask";

    public const string FromMode = "mode";
    /// <summary>A user-wide grant: it holds in every workspace, chat and task (not "user", which says the user was asked).</summary>
    public const string FromUser = "everywhere";
    public const string FromWorkspace = "workspace";
    public const string FromChat = "chat";
    public const string FromTask = "task";
    /// <summary>A rules file given to <c>plue approvals replay --rules</c>: weighed in place of the rules in force.</summary>
    public const string FromFile = "file";

    public required string Source { get; init; }
    public required string Tool { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    /// <summary>A host (<c>example.com</c>, any port) or <c>host:port</c>: a bash command whose every URL is on it.</summary>
    public string? Host { get; init; }
    public string Decision { get; init; } = Allow;
    public string? GrantId { get; init; }

    /// <summary>The rule as a user reads it: <c>bash `npm test`</c>, <c>write src/**</c>, <c>bash `curl` to example.com</c>, <c>bash</c>.</summary>
    public string What
    {
        get
        {
            var what = CommandPrefix is { Length: > 0 } prefix ? $"{Tool} `{prefix}`" : PathGlob is { Length: > 0 } glob ? $"{Tool} {glob}" : Tool;
            return Host is { Length: > 0 } host ? $"{what} to {host}" : what;
        }
    }

    /// <summary>Whether the rule speaks of this call: its tool, and its prefix, glob or host when it has one.</summary>
    /// <param name="serverUrl">A remote MCP server's URL by its name; a host rule on an MCP tool matches when the server is on that host.</param>
    public bool Matches(string tool, JsonElement input, IReadOnlyList<string> folders, Func<string, string?>? serverUrl = null)
    {
        if (Tool != tool && !(ToolNames.McpServerOf(tool) is { } server && Tool == ToolNames.McpPrefix + server)) return false;
        if (CommandPrefix is { Length: > 0 } prefix && !Approvals.CommandPrefix.Matches(Text(input, "command"), prefix)) return false;
        // The Claude Code CLI's and ACP agents' file tools name the path file_path.
        if (PathGlob is { Length: > 0 } glob && !Approvals.PathGlob.Matches(glob, Text(input, "path") ?? Text(input, "file_path"), folders)) return false;
        if (Host is { Length: > 0 } host && (ToolNames.McpServerOf(tool) is { } mcp
                ? !(serverUrl?.Invoke(mcp) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var at) && SameHost(at, host))
                : !OnlyHost(Text(input, "command"), host)))
            return false;
        return true;
    }

    /// <summary>Why a host cannot be a rule's, in the user's words; null when it can: a name or address, and a port if wanted.</summary>
    public static string? HostProblem(string host) =>
        Uri.TryCreate($"http://{host}/", UriKind.Absolute, out var uri) && uri.Authority.Equals(host, StringComparison.OrdinalIgnoreCase) && uri.UserInfo.Length == 0
            ? null
            : $"'{host}' is not a host: give a name or an address, and a port if wanted (example.com, 127.0.0.1:8080), without a scheme or a path";

    /// <summary>
    /// Whether a command reaches only <paramref name="host"/>: it names at least one URL (<c>scheme://</c>), every one on
    /// that host (and port, when the rule names one), and no other word but options (<c>-s</c>, <c>--fail</c>), so a
    /// second host in a bare word (<c>curl -x proxy:8080 …</c>) asks. A command with shell control never matches.
    /// </summary>
    public static bool OnlyHost(string? command, string host)
    {
        if (command is null || Approvals.CommandPrefix.HasShellControl(command)) return false;
        var words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var urls = 0;
        foreach (var word in words.Skip(1))
        {
            var value = word.StartsWith('-') && word.IndexOf('=') is var eq and > 0 ? word[(eq + 1)..] : word;
            if (value.Contains("://", StringComparison.Ordinal))
            {
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !SameHost(uri, host)) return false;
                urls++;
            }
            else if (!word.StartsWith('-') || word.Contains('=', StringComparison.Ordinal) || word.Contains(':', StringComparison.Ordinal)) return false;
        }
        return urls > 0;
    }

    /// <summary>
    /// The host "Always…" may offer for a command: the one every URL it names is on, with the port it names
    /// (<c>127.0.0.1:8080</c>), when <see cref="OnlyHost"/> holds for it; null otherwise.
    /// </summary>
    public static string? SuggestHost(string? command)
    {
        if (command is null) return null;
        var first = command.Split([' ', '\t', '='], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Contains("://", StringComparison.Ordinal));
        if (first is null || !Uri.TryCreate(first, UriKind.Absolute, out var uri) || uri.Host.Length == 0) return null;
        var host = uri.IsDefaultPort ? uri.Host : uri.Authority;
        return HostProblem(host) is null && OnlyHost(command, host) ? host : null;
    }

    private static bool SameHost(Uri uri, string host)
    {
        if (uri.UserInfo.Length > 0 || !Uri.TryCreate($"http://{host}/", UriKind.Absolute, out var rule)) return false;
        if (!string.Equals(uri.Host, rule.Host, StringComparison.OrdinalIgnoreCase)) return false;
        // "example.com" is any port of it; "example.com:8080" that port only.
        return !host.EndsWith($":{rule.Port}", StringComparison.Ordinal) || uri.Port == rule.Port;
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
    public static ApprovalVerdict Evaluate(IEnumerable<ApprovalRule> rules, string tool, JsonElement input, IReadOnlyList<string> folders, Func<string, string?>? serverUrl = null)
    {
        ApprovalRule? allow = null;
        foreach (var rule in rules)
        {
            if (!rule.Matches(tool, input, folders, serverUrl)) continue;
            if (rule.Decision == ApprovalRule.Deny) return new(ApprovalRule.Deny, rule);
            allow ??= rule.Decision == ApprovalRule.Allow ? rule : null;
        }
        return allow is null ? new(ApprovalRule.Ask, null) : new(ApprovalRule.Allow, allow);
    }
}
