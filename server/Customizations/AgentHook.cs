using System.Text.Json;
using System.Text.RegularExpressions;
using Plue.Codex.Content;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// One command an agent hooks file runs at an agent event (Claude Code's settings, Codex's hooks.json): not a
/// template's automation hook. Its matcher picks the tools of PreToolUse and PostToolUse by the names hooks know.
/// </summary>
/// <param name="Matcher">Claude Code's matcher: a tool name, alternatives with '|', or a regular expression; null, "" or "*" for every tool.</param>
/// <param name="TimeoutSeconds">How long it may run before it is killed (its <c>timeout</c>, else 60).</param>
/// <param name="Folder">The workspace folder of a workspace hook; null for the user's.</param>
public sealed record AgentHook(string Event, string? Matcher, string Command, int TimeoutSeconds, string Layout, CustomizationScope Scope, string Source, string? Folder)
{
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>The hooks of Claude Code's settings files, which a Claude Code backend runs itself.</summary>
    public const string ClaudeLayout = "claude-hooks";

    /// <summary>The name the item of its matcher group goes by in the list.</summary>
    public string ItemName => Matcher is { Length: > 0 } m ? $"{Event} ({m})" : Event;

    /// <summary>Whether the hook runs for a call of Plue's tool <paramref name="plueTool"/>, by the name hooks know it by or its own.</summary>
    public bool Matches(string plueTool)
    {
        if (Matcher is null or "" or "*") return true;
        var name = HookToolName(plueTool);
        try
        {
            var pattern = new Regex($"^(?:{Matcher})$", RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return pattern.IsMatch(name) || pattern.IsMatch(plueTool);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            // Not a regular expression: an exact name.
            return Matcher == name || Matcher == plueTool;
        }
    }

    /// <summary>
    /// What the hook would run, as one hash: its hooks file's text, its command, and the text of each file its command
    /// names (from the folder it runs in, <c>$CLAUDE_PROJECT_DIR</c>, the home or a full path). A change to any of them
    /// during a session makes it a hook the user has not seen.
    /// </summary>
    public string Fingerprint(string folder, string? home)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        void AddFile(string path)
        {
            try
            {
                if (new FileInfo(path) is { Exists: true, Length: < 4 * 1024 * 1024 } file && file.Attributes.HasFlag(FileAttributes.Directory) is false)
                {
                    Add(path);
                    hash.AppendData(File.ReadAllBytes(path));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Add($"unreadable {path}");
            }
        }
        Add(Command);
        AddFile(Source);
        foreach (var word in Command.Split([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>', '"', '\'', '`', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            var path = word;
            foreach (var (prefix, root) in new[] { ("$CLAUDE_PROJECT_DIR/", folder), ("${CLAUDE_PROJECT_DIR}/", folder), ("~/", home), ("$HOME/", home), ("${HOME}/", home) })
                if (root is { Length: > 0 } && word.StartsWith(prefix, StringComparison.Ordinal)) path = Path.Combine(root, word[prefix.Length..]);
            if (!path.StartsWith("/dev/", StringComparison.Ordinal) && !path.StartsWith("/proc/", StringComparison.Ordinal) && !path.StartsWith("/sys/", StringComparison.Ordinal))
                AddFile(Path.IsPathRooted(path) ? path : Path.Combine(folder, path));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Plue's tool as hooks name it (Claude Code's names); an MCP tool's <c>mcp__server__tool</c> and any other as it is.</summary>
    public static string HookToolName(string plueTool) => plueTool switch
    {
        "bash" => "Bash",
        "read" => "Read",
        "write" => "Write",
        "edit" => "Edit",
        "search" => "Grep",
        "skill" => "Skill",
        "spawn_task" => "Task",
        _ => plueTool,
    };
}

/// <summary>Reads the used agent hooks of the hooks files the list found.</summary>
public static class AgentHooks
{
    private static readonly JsonDocumentOptions s_json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The hooks of every used matcher group, in the list's order (workspace before user).</summary>
    public static IReadOnlyList<AgentHook> Read(IReadOnlyList<CustomizationItem> items, IReadOnlyList<string> folders, string? home)
    {
        var hooks = new List<AgentHook>();
        foreach (var file in items.Where(i => i.Kind == CustomizationKind.AgentHook && i.Status == CustomizationStatus.Used).GroupBy(i => i.Source))
        {
            var first = file.First();
            var root = first.Scope == CustomizationScope.User ? home : folders.FirstOrDefault(f => file.Key.StartsWith(Path.GetFullPath(f) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (root is null) continue;
            string text;
            try
            {
                text = ContentFile.Read(root, Path.GetRelativePath(root, file.Key), CustomizationLayout.MaxJsonBytes);
            }
            catch (Exception e) when (e is ContentFileException or IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var used = file.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            hooks.AddRange(Parse(text, first.Layout, first.Scope, file.Key, first.Scope == CustomizationScope.Workspace ? root : null).Where(h => used.Contains(h.ItemName)));
        }
        return hooks;
    }

    /// <summary>
    /// The hooks of a hooks file's text: <c>{"hooks": {"Event": [{"matcher": …, "hooks": [{"type": "command",
    /// "command": …, "timeout": s}]}]}}</c>, or Codex's flat group <c>{"matcher": …, "command": …}</c>. What cannot be
    /// read is left out (the list says why).
    /// </summary>
    public static IReadOnlyList<AgentHook> Parse(string text, string layout, CustomizationScope scope, string source, string? folder)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text.TrimStart('\uFEFF'), s_json);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return [];
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("hooks", out var events) || events.ValueKind != JsonValueKind.Object) return [];
        var hooks = new List<AgentHook>();
        foreach (var hookEvent in events.EnumerateObject())
        {
            if (!CustomizationLayouts.HookEvents.Contains(hookEvent.Name) || hookEvent.Value.ValueKind != JsonValueKind.Array) continue;
            foreach (var group in hookEvent.Value.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.Object))
            {
                var matcher = group.TryGetProperty("matcher", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                IEnumerable<JsonElement> handlers = group.TryGetProperty("hooks", out var h) && h.ValueKind == JsonValueKind.Array ? h.EnumerateArray() : [group];
                foreach (var handler in handlers)
                    if (handler.ValueKind == JsonValueKind.Object && handler.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } command)
                        hooks.Add(new AgentHook(hookEvent.Name, matcher is { Length: > 0 } ? matcher : null, command, Timeout(handler), layout, scope, source, folder));
            }
        }
        return hooks;
    }

    private static int Timeout(JsonElement handler) =>
        handler.TryGetProperty("timeout", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetDouble(out var seconds) && seconds > 0
            ? (int)Math.Ceiling(Math.Min(seconds, 3600))
            : AgentHook.DefaultTimeoutSeconds;
}
