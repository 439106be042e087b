namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// A bash grant's command prefix: a command matches when its leading words are the prefix's words. A command holding
/// any shell control (<c>;</c> <c>&amp;</c> <c>|</c> redirections, <c>$(…)</c>, backquotes, <c>$</c> expansions,
/// subshells, several lines) never matches, since <c>npm test; rm -rf /</c> starts with <c>npm test</c> too.
/// </summary>
public static class CommandPrefix
{
    private static readonly char[] s_control = [';', '&', '|', '`', '$', '<', '>', '(', ')', '{', '}', '\n', '\r', '\\'];

    public static bool Matches(string? command, string prefix)
    {
        if (command is null || HasShellControl(command)) return false;
        var want = Words(prefix);
        var words = Words(command);
        return want.Length > 0 && words.Length >= want.Length && want.SequenceEqual(words.Take(want.Length), StringComparer.Ordinal);
    }

    public static bool HasShellControl(string command) => command.IndexOfAny(s_control) >= 0;

    /// <summary>
    /// The prefix "Always…" offers for a command: its program and subcommand (<c>npm test</c>, <c>git log</c>), the
    /// script too after <c>run</c> (<c>npm run build</c>); null for a command with shell control, which no prefix covers.
    /// </summary>
    public static string? Suggest(string? command)
    {
        if (command is null || HasShellControl(command)) return null;
        var words = Words(command);
        if (words.Length == 0) return null;
        var take = 1;
        if (words.Length > 1 && IsSubcommand(words[1])) take = words[1] is "run" or "exec" && words.Length > 2 && IsSubcommand(words[2]) ? 3 : 2;
        return string.Join(' ', words.Take(take));
    }

    private static bool IsSubcommand(string word) => word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':') && !word.StartsWith('-');

    private static string[] Words(string text) => text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
