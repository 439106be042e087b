using System.Text.RegularExpressions;
using Plue.Codex.Content;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// Commands from files (docs/CUSTOMIZATIONS.md, Commands): the used ones read with the list (once per change, never per
/// turn), a typed <c>/name args</c> found among them, and its body with the arguments put in.
/// </summary>
public static partial class CustomCommands
{
    /// <summary>The used commands among <paramref name="items"/>, each read from inside its root (a workspace folder, or the home for the user's).</summary>
    public static IReadOnlyList<CustomCommand> Read(IReadOnlyList<CustomizationItem> items, IReadOnlyList<string> folders, string? home)
    {
        var found = new List<CustomCommand>();
        foreach (var item in items.Where(i => i.Status == CustomizationStatus.Used && i.Kind == CustomizationKind.Command))
        {
            if (RootOf(item, folders, home) is not { } root) continue;
            try
            {
                var front = FrontMatter.Parse(ContentFile.Read(root, Path.GetRelativePath(root, item.Source), CustomizationLayout.MaxMarkdownBytes));
                var tools = front.Find("allowed-tools") ?? front.Find("tools");
                found.Add(new CustomCommand(item.Name, item.Description, item.Source, item.Layout, front.Body.Trim(), Value(front.Text("model")),
                    tools is null ? null : List(tools), Value(front.Text("mode")) ?? Value(front.Text("agent")), Value(front.Text("argument-hint"))));
            }
            catch (Exception e) when (e is ContentFileException or FrontMatterException)
            {
                // Changed since it was listed: the watcher lists it again with its reason.
            }
        }
        return found;
    }

    /// <summary>The workspace folder or home a found file is under (it is read from inside it only); null when none holds it.</summary>
    internal static string? RootOf(CustomizationItem item, IReadOnlyList<string> folders, string? home)
    {
        var roots = item.Scope == CustomizationScope.Workspace ? folders : home is null ? [] : [home];
        return roots.FirstOrDefault(f => item.Source.StartsWith(Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>The command a message types (<c>/name</c> then its arguments), or null when it starts with no used command's name.</summary>
    public static (CustomCommand Command, string Arguments)? Find(IReadOnlyList<CustomCommand> commands, string text)
    {
        if (Typed(text) is not var (name, arguments)) return null;
        return commands.FirstOrDefault(c => c.Name == name) is { } command ? (command, arguments) : null;
    }

    /// <summary>A message's <c>/name</c> and the rest; null when it does not start with one.</summary>
    public static (string Name, string Arguments)? Typed(string text)
    {
        var match = TypedCommand().Match(text.TrimStart());
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value.Trim()) : null;
    }

    /// <summary>
    /// The body with <c>$ARGUMENTS</c> replaced by all the arguments and <c>$1</c>…<c>$9</c> by each (quoted words kept
    /// together, a missing one empty). A body that uses neither gets the arguments after it, so none is lost.
    /// </summary>
    public static string Expand(string body, string arguments)
    {
        var words = Words(arguments);
        var used = false;
        var text = Placeholder().Replace(body, m =>
        {
            used = true;
            if (m.Value == "$ARGUMENTS") return arguments;
            var index = m.Value[1] - '1';
            return index < words.Count ? words[index] : "";
        });
        return used || arguments.Length == 0 ? text : $"{text}\n\n{arguments}";
    }

    /// <summary>Plue's tools a command's tool list grants: Claude Code's, Copilot's and Plue's own names (MCP tools as named); unknown names grant nothing.</summary>
    public static IReadOnlyList<string> PlueTools(IReadOnlyList<string> named)
    {
        var tools = new List<string>();
        foreach (var name in named)
            if (PlueTool(name) is { } tool && !tools.Contains(tool)) tools.Add(tool);
        return tools;
    }

    /// <summary>The Plue tool one name of a tool list grants (an MCP tool as named); null for a name Plue does not know.</summary>
    public static string? PlueTool(string raw)
    {
        var name = raw.Trim();
        if (name.StartsWith("mcp__", StringComparison.Ordinal)) return name;
        // Claude Code narrows a tool by its arguments, Bash(git:*): Plue grants the tool and asks as usual.
        return name.Split('(')[0].Trim().ToLowerInvariant() switch
        {
            "read" or "readfile" or "read_file" => "read",
            "write" or "createfile" or "create_file" => "write",
            "edit" or "multiedit" or "editfiles" or "edit_file" or "notebookedit" => "edit",
            "grep" or "glob" or "ls" or "search" or "codebase" or "findfiles" => "search",
            "bash" or "shell" or "runcommands" or "runincommandline" or "terminal" or "runinterminal" => "bash",
            "spawn_task" or "task" => "spawn_task",
            _ => null,
        };
    }

    private static List<string> Words(string arguments)
    {
        var words = new List<string>();
        foreach (Match m in Word().Matches(arguments)) words.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Value);
        return words;
    }

    internal static List<string> List(FrontMatterField field) =>
        field.Items is { } items ? [.. items.Where(i => i.Trim().Length > 0)] : [.. (field.Scalar ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    internal static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"^/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?:\s+([\s\S]*))?$")]
    private static partial Regex TypedCommand();

    [GeneratedRegex(@"\$ARGUMENTS|\$[1-9]")]
    private static partial Regex Placeholder();

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'|\\S+")]
    private static partial Regex Word();
}
