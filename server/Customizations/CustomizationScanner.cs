using System.Text.Json;
using Plue.Codex.Content;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// Finds every customization file of every layout under the workspace folders and the user's home and gives each a
/// status: read through the content roots' bounded reader (inside its root whatever links lie on the way, regular
/// files only, under a size cap), checked against its layout, then shadowed by precedence. An untrusted workspace's
/// files are named but not read.
/// </summary>
public static class CustomizationScanner
{
    public const string NotTrusted = "the workspace is not trusted: trust it to use its files";
    public const string RunsOnlyTrusted = "the workspace is not trusted, and MCP servers from files run only in a trusted workspace";

    /// <summary>What the list says of Claude Code's settings files' hooks: that backend runs them itself, never Plue as well.</summary>
    public const string RunByClaudeCode = "run by Claude Code on a Claude Code backend";

    private const int MaxNestedFolders = 4000;
    private const int MaxNestedDepth = 8;
    /// <summary>How many files (or skill folders) of one folder are read by default; the rest are listed, ignored.</summary>
    public const int DefaultFolderLimit = 200;

    /// <summary>The environment variable that raises (or lowers) <see cref="DefaultFolderLimit"/>.</summary>
    public const string FolderLimitVariable = "PLUE_CUSTOMIZATION_FOLDER_LIMIT";

    /// <summary>A folder's limit: the variable's whole number from 1 to 100,000 when set, else the default.</summary>
    internal static int FolderLimit =>
        int.TryParse(Environment.GetEnvironmentVariable(FolderLimitVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000
            ? n : DefaultFolderLimit;

    internal static string PastFolderLimit(int limit) =>
        $"past this folder's first {limit:N0} files (by name), the most Plue reads of one folder: keep fewer files here, or raise the limit with the environment variable {FolderLimitVariable}";

    private static readonly JsonDocumentOptions s_json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <param name="folders">The workspace folders, the first of highest precedence.</param>
    /// <param name="home">The user's home; null for none.</param>
    public static IReadOnlyList<CustomizationItem> Scan(IReadOnlyList<string> folders, bool trusted, string? home)
    {
        var items = new List<CustomizationItem>();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            // One walk of the folder's tree finds every nested layout's files (AGENTS.md and CLAUDE.md), not one walk each.
            var nested = new Lazy<Dictionary<string, List<string>>>(() => Nested(folder, s_nestedNames));
            foreach (var layout in CustomizationLayouts.All.Where(l => l.Scope == CustomizationScope.Workspace))
                items.AddRange(Layout(folder, layout, trusted, nested));
        }
        if (!string.IsNullOrEmpty(home) && Directory.Exists(home))
        {
            var nested = new Lazy<Dictionary<string, List<string>>>(() => Nested(home, s_nestedNames));
            foreach (var layout in CustomizationLayouts.All.Where(l => l.Scope == CustomizationScope.User))
                items.AddRange(Layout(home, layout, trusted, nested));
        }
        return Shadow(items, path => Shown(path, folders, home));
    }

    /// <summary>A file as a reason names it: inside its workspace folder (its name first when there are several) or "~/…".</summary>
    private static string Shown(string path, IReadOnlyList<string> folders, string? home)
    {
        foreach (var folder in folders)
            if (Inside(folder, path))
            {
                var relative = Path.GetRelativePath(folder, path);
                return folders.Count > 1 ? Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), relative) : relative;
            }
        return !string.IsNullOrEmpty(home) && Inside(home, path) ? Path.Combine("~", Path.GetRelativePath(home, path)) : path;
    }

    private static bool Inside(string folder, string path)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar) && !Path.IsPathRooted(relative);
    }

    /// <summary>A used skill, command, agent or MCP server of a name already taken is shadowed by the one that took it.</summary>
    private static List<CustomizationItem> Shadow(List<CustomizationItem> items, Func<string, string> shown)
    {
        var winners = new Dictionary<(CustomizationKind, string), CustomizationItem>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Status != CustomizationStatus.Used || item.Kind is CustomizationKind.Instructions or CustomizationKind.AgentHook) continue;
            if (winners.TryGetValue((item.Kind, item.Name), out var winner))
                items[i] = item with { Status = CustomizationStatus.Ignored, Reason = $"shadowed by {shown(winner.Source)} ({winner.Layout}, {Words(winner.Scope)}), which takes precedence" };
            else winners[(item.Kind, item.Name)] = item;
        }
        return items;
    }

    private static readonly string[] s_nestedNames = [.. CustomizationLayouts.All.Where(l => l.Shape == LayoutShape.Nested).Select(l => l.Path).Distinct(StringComparer.Ordinal)];

    private static IEnumerable<CustomizationItem> Layout(string root, CustomizationLayout layout, bool trusted, Lazy<Dictionary<string, List<string>>> nested)
    {
        var limit = FolderLimit;
        foreach (var (relative, name, index) in Files(root, layout, nested))
        {
            var item = new CustomizationItem
            {
                Kind = layout.Kind,
                Name = name,
                Source = Path.GetFullPath(Path.Combine(root, relative)),
                Scope = layout.Scope,
                Layout = layout.Id,
                Status = CustomizationStatus.Used,
            };
            if (index >= limit)
            {
                // Listed, never read: a folder of thousands of files costs its names alone.
                yield return Ignored(item, PastFolderLimit(limit));
                continue;
            }
            if (!trusted && layout.Scope == CustomizationScope.Workspace)
            {
                // Named, never read: a repository's text steers no agent, and its names show as the files' own.
                yield return Ignored(item, NotTrusted);
                continue;
            }
            var (text, notRead) = Read(root, relative, layout.MaxBytes);
            if (notRead is not null)
            {
                yield return Ignored(item, $"not read: {notRead}");
                continue;
            }
            IEnumerable<CustomizationItem> found = layout.Format switch
            {
                LayoutFormat.Markdown => [item],
                LayoutFormat.MarkdownFields => [Markdown(item, layout, text!, relative)],
                LayoutFormat.Hooks => Hooks(item, text!, layout.Id == AgentHook.ClaudeLayout),
                _ => Mcp(item, layout, text!),
            };
            // The user's own hooks run in any workspace (a guard a user wrote guards an untrusted one too); the user's MCP
            // files' servers would act on the untrusted files unasked.
            foreach (var one in found)
                yield return !trusted && one.Status == CustomizationStatus.Used && layout.Format is LayoutFormat.Mcp
                    ? Ignored(one, RunsOnlyTrusted)
                    : one;
        }
    }

    private static (string? Text, string? NotRead) Read(string root, string relative, int maxBytes)
    {
        try
        {
            return (ContentFile.Read(root, relative, maxBytes), null);
        }
        catch (ContentFileException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The layout's files under the root, each with the name it goes by until its front matter says otherwise, and its
    /// place in its folder (by name): those past the folder's limit are listed as ignored.
    /// </summary>
    private static IEnumerable<(string Relative, string Name, int Index)> Files(string root, CustomizationLayout layout, Lazy<Dictionary<string, List<string>>> nested)
    {
        var path = layout.Path.Replace('/', Path.DirectorySeparatorChar);
        var full = Path.Combine(root, path);
        switch (layout.Shape)
        {
            case LayoutShape.OneFile:
                if (File.Exists(full)) yield return (path, InstructionsName(layout, path), 0);
                break;
            case LayoutShape.FileOrFolder when File.Exists(full):
                yield return (path, InstructionsName(layout, path), 0);
                break;
            case LayoutShape.Folder or LayoutShape.FileOrFolder:
                if (!Directory.Exists(full)) break;
                var index = 0;
                foreach (var file in Directory.EnumerateFiles(full).Where(f => Path.GetFileName(f).EndsWith(layout.Suffix, StringComparison.Ordinal) && Path.GetFileName(f).Length > layout.Suffix.Length)
                    .Order(StringComparer.Ordinal))
                {
                    var relative = Path.Combine(path, Path.GetFileName(file));
                    yield return (relative, layout.Kind == CustomizationKind.Instructions ? InstructionsName(layout, relative) : Path.GetFileName(file)[..^layout.Suffix.Length], index++);
                }
                break;
            case LayoutShape.SkillFolders:
                if (!Directory.Exists(full)) break;
                var skills = 0;
                foreach (var dir in Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal))
                    if (File.Exists(Path.Combine(dir, "SKILL.md")))
                        yield return (Path.Combine(path, Path.GetFileName(dir), "SKILL.md"), Path.GetFileName(dir), skills++);
                break;
            case LayoutShape.Nested:
                foreach (var relative in nested.Value.GetValueOrDefault(path) ?? []) yield return (relative, InstructionsName(layout, relative), 0);
                break;
        }
    }

    /// <summary>An instructions file goes by its path: folder-relative in the workspace, <c>~/…</c> in the home.</summary>
    private static string InstructionsName(CustomizationLayout layout, string relative) =>
        (layout.Scope == CustomizationScope.User ? "~/" : "") + relative.Replace('\\', '/');

    /// <summary>
    /// Each of the file names at the root, then in the folders below it (hidden folders, node_modules and links to folders
    /// left out), bounded: by name, the relative paths found, the root's first and the rest in order.
    /// </summary>
    private static Dictionary<string, List<string>> Nested(string root, string[] fileNames)
    {
        var byName = fileNames.ToDictionary(n => n, n => File.Exists(Path.Combine(root, n)) ? new List<string> { n } : [], StringComparer.Ordinal);
        var queue = new Queue<(string Dir, int Depth)>();
        queue.Enqueue((root, 0));
        var seen = 0;
        var found = new List<(string Name, string Relative)>();
        while (queue.Count > 0 && seen < MaxNestedFolders)
        {
            var (dir, depth) = queue.Dequeue();
            IEnumerable<string> children;
            try
            {
                children = [.. new DirectoryInfo(dir).EnumerateDirectories()
                    .Where(d => !d.Attributes.HasFlag(FileAttributes.ReparsePoint) && !d.Name.StartsWith('.') && d.Name != "node_modules")
                    .Select(d => d.FullName).Order(StringComparer.Ordinal)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var child in children)
            {
                if (++seen > MaxNestedFolders) break;
                foreach (var fileName in fileNames)
                    if (File.Exists(Path.Combine(child, fileName))) found.Add((fileName, Path.GetRelativePath(root, Path.Combine(child, fileName))));
                if (depth + 1 < MaxNestedDepth) queue.Enqueue((child, depth + 1));
            }
        }
        foreach (var (name, relative) in found.OrderBy(f => f.Relative, StringComparer.Ordinal)) byName[name].Add(relative);
        return byName;
    }

    private static CustomizationItem Markdown(CustomizationItem item, CustomizationLayout layout, string text, string relative)
    {
        FrontMatter front;
        try
        {
            front = FrontMatter.Parse(text);
        }
        catch (FrontMatterException e)
        {
            return Ignored(item, $"bad front matter, line {e.Line}: {e.Message}");
        }
        var known = layout.Fields ?? [];
        if (front.Fields.FirstOrDefault(f => !known.Contains(f.Key)) is { } unknown)
            return Ignored(item, $"unknown field '{unknown.Key}' (line {unknown.Line}): {layout.Id} knows {string.Join(", ", known)}; remove it or correct its spelling");
        if ((layout.Required ?? []).FirstOrDefault(r => string.IsNullOrWhiteSpace(front.Text(r))) is { } missing)
            return Ignored(item, $"its front matter has no '{missing}': add {missing}: …");
        var description = front.Text("description") is { Length: > 0 } d ? d
            : front.Text("applyTo") is { Length: > 0 } applyTo ? $"applies to {applyTo}"
            : front.Text("globs") is { Length: > 0 } globs ? $"applies to {globs}"
            : null;
        if (layout.Id == "cursor-rules" && front.Text("alwaysApply") == "true") description = description is null ? "always applies" : $"{description} (always applies)";
        item = item with { Description = description };
        if (NeverApplies(layout.Id, front) is { } never) return Ignored(item, never);
        var name = layout.NameField is { } field && front.Text(field) is { Length: > 0 } named ? named.Trim() : item.Name;
        item = item with { Name = name };
        if (layout.NameRule is { } rule && layout.Kind != CustomizationKind.Instructions && !rule.Allows(name))
            return Ignored(item, $"the name '{Cut(name)}' breaks {layout.Id}'s rule: {rule.Words}");
        if (layout.Shape == LayoutShape.SkillFolders && Path.GetFileName(Path.GetDirectoryName(relative)) is { } folder && folder != name)
            return Ignored(item, $"the name '{name}' is not its folder's ('{folder}'): rename one to match the other");
        return item;
    }

    /// <summary>
    /// Why a scoped instructions file is never sent (<see cref="ScopedInstructions"/>): it names no file it applies to and
    /// does not always apply (Cursor's rules chosen by their description, a Copilot file without applyTo); null when it applies.
    /// </summary>
    private static string? NeverApplies(string layout, FrontMatter front) => layout switch
    {
        "github-instructions" when GlobPattern.Parse(front.Find("applyTo")).Count == 0 =>
            "listed, not used: it has no applyTo, so it applies to no file: add applyTo: \"**/*.py\" (or \"**\" for every file)",
        "cursor-rules" when front.Text("alwaysApply") != "true" && GlobPattern.Parse(front.Find("globs")).Count == 0 =>
            "listed, not used: Plue does not pick rules by their description: add globs: \"src/**/*.ts\" or alwaysApply: true",
        _ => null,
    };

    private static IEnumerable<CustomizationItem> Hooks(CustomizationItem file, string text, bool settingsFile)
    {
        if (Json(file, text, out var root) is { } bad) return [bad];
        if (root.ValueKind != JsonValueKind.Object) return [Ignored(file, "the file is not a JSON object")];
        if (!root.TryGetProperty("hooks", out var hooks))
            // A settings file without hooks holds other settings: nothing to list.
            return settingsFile ? [] : [Ignored(file, "no \"hooks\" object: write {\"hooks\": {\"PreToolUse\": [...]}}")];
        if (hooks.ValueKind != JsonValueKind.Object) return [Ignored(file, "\"hooks\" is not an object of events")];
        var items = new List<CustomizationItem>();
        foreach (var hookEvent in hooks.EnumerateObject())
        {
            if (!CustomizationLayouts.HookEvents.Contains(hookEvent.Name))
            {
                items.Add(Ignored(file with { Name = hookEvent.Name }, $"unknown event '{hookEvent.Name}': the events are {string.Join(", ", CustomizationLayouts.HookEvents)}"));
                continue;
            }
            if (hookEvent.Value.ValueKind != JsonValueKind.Array)
            {
                items.Add(Ignored(file with { Name = hookEvent.Name }, $"'{hookEvent.Name}' is not a list of matcher groups: write [{{\"matcher\": …, \"hooks\": [{{\"type\": \"command\", \"command\": …}}]}}]"));
                continue;
            }
            foreach (var group in hookEvent.Value.EnumerateArray())
                items.Add(HookGroup(file, hookEvent.Name, group));
        }
        return items;
    }

    private static CustomizationItem HookGroup(CustomizationItem file, string hookEvent, JsonElement group)
    {
        var matcher = group.ValueKind == JsonValueKind.Object && group.TryGetProperty("matcher", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } ms ? ms : null;
        var item = file with { Name = matcher is null ? hookEvent : $"{hookEvent} ({matcher})" };
        if (group.ValueKind != JsonValueKind.Object) return Ignored(item, "a matcher group is not an object");
        // Codex's older flat form: the group is the hook.
        var handlers = group.TryGetProperty("hooks", out var h) ? h : default;
        var commands = new List<string>();
        if (handlers.ValueKind == JsonValueKind.Array)
        {
            foreach (var handler in handlers.EnumerateArray())
            {
                if (handler.ValueKind != JsonValueKind.Object || !handler.TryGetProperty("command", out var c) || c.ValueKind != JsonValueKind.String || c.GetString() is not { Length: > 0 } command)
                    return Ignored(item, "a hook without a command: give each {\"type\": \"command\", \"command\": \"…\"}");
                commands.Add(command);
            }
        }
        else if (group.TryGetProperty("command", out var flat) && flat.ValueKind == JsonValueKind.String && flat.GetString() is { Length: > 0 } one) commands.Add(one);
        if (commands.Count == 0) return Ignored(item, "no command to run: give \"hooks\": [{\"type\": \"command\", \"command\": \"…\"}]");
        var description = string.Join("; ", commands.Select(c => Cut(c)));
        return item with { Description = file.Layout == AgentHook.ClaudeLayout ? $"{description} ({RunByClaudeCode})" : description };
    }

    private static IEnumerable<CustomizationItem> Mcp(CustomizationItem file, CustomizationLayout layout, string text)
    {
        var key = layout.JsonKey!;
        if (Json(file, text, out var root) is { } bad) return [bad];
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(key, out var servers) || servers.ValueKind != JsonValueKind.Object)
            return [Ignored(file, $"no \"{key}\" object: {layout.Id} keeps its servers under \"{key}\": {{\"name\": {{\"command\": …}}}}")];
        var items = new List<CustomizationItem>();
        foreach (var server in servers.EnumerateObject())
        {
            var item = file with { Name = server.Name };
            if (server.Value.ValueKind != JsonValueKind.Object) items.Add(Ignored(item, "the server is not an object: give it a command (stdio) or a url (remote)"));
            else if (server.Value.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String)
                // The command alone: arguments and environment may carry a secret.
                items.Add(item with { Description = $"stdio: {Cut(command.GetString()!)}" });
            else if (server.Value.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
                items.Add(item with { Description = $"remote: {Origin(url.GetString()!)}" });
            else items.Add(Ignored(item, "the server has neither a command (stdio) nor a url (remote): give one"));
        }
        return items;
    }

    /// <summary>Parses JSON; the item ignored with the line of what is wrong when it cannot.</summary>
    private static CustomizationItem? Json(CustomizationItem file, string text, out JsonElement root)
    {
        root = default;
        try
        {
            using var document = JsonDocument.Parse(text, s_json);
            root = document.RootElement.Clone();
            return null;
        }
        catch (JsonException e)
        {
            var message = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
            return Ignored(file, $"not valid JSON, line {(e.LineNumber ?? 0) + 1}: {message}");
        }
    }

    /// <summary>A URL as shown: scheme, host and path, never a user, password or query (they may carry a secret).</summary>
    private static string Origin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority.Split('@')[^1]}{uri.AbsolutePath}" : "(not a URL)";

    private static CustomizationItem Ignored(CustomizationItem item, string reason) => item with { Status = CustomizationStatus.Ignored, Reason = reason };

    private static string Words(CustomizationScope scope) => scope == CustomizationScope.User ? "user level" : "workspace";

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
