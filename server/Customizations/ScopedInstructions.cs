using System.Text.Json.Nodes;
using Plue.Codex.Content;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Customizations;

/// <summary>
/// Scoped instructions (docs/CUSTOMIZATIONS.md): a used <c>applyTo</c> or <c>globs</c> file joins a chat's system
/// prompt only when a file it matches is in play (attached, kept in the chat's context, or read or written by a tool
/// call: <see cref="Touched"/>); one with
/// <c>alwaysApply: true</c>, or a glob of every file (<c>**</c>), always. One with neither is listed but never sent
/// (Cursor's "apply intelligently" rules, a Copilot file without <c>applyTo</c>).
/// </summary>
public static class ScopedInstructions
{
    /// <summary>The used scoped files among <paramref name="items"/>, read again (the list is read once per change, not per turn).</summary>
    public static IReadOnlyList<ScopedInstruction> Read(IReadOnlyList<CustomizationItem> items, IReadOnlyList<string> folders)
    {
        var found = new List<ScopedInstruction>();
        foreach (var item in items.Where(i => i.Status == CustomizationStatus.Used && i.Scope == CustomizationScope.Workspace && i.Layout is "github-instructions" or "cursor-rules"))
        {
            var folder = folders.FirstOrDefault(f => item.Source.StartsWith(Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (folder is null) continue;
            var relative = Path.GetRelativePath(folder, item.Source);
            try
            {
                var front = FrontMatter.Parse(ContentFile.Read(folder, relative, CustomizationLayout.MaxMarkdownBytes));
                var globs = GlobPattern.Parse(front.Find(item.Layout == "cursor-rules" ? "globs" : "applyTo"));
                var always = front.Text("alwaysApply") == "true" || globs.Any(g => g.MatchesAll);
                if (always || globs.Count > 0) found.Add(new ScopedInstruction(folder, relative.Replace('\\', '/'), globs, always, front.Body.Trim()));
            }
            catch (Exception e) when (e is ContentFileException or FrontMatterException)
            {
                // Changed since it was listed: the watcher lists it again with its reason.
            }
        }
        return found;
    }

    /// <summary>
    /// The scoped files that apply to <paramref name="inPlay"/> (folder-relative or absolute paths) as instructions
    /// files, each with why it is sent: <c>applies to src/a.py</c>, <c>always applies</c>.
    /// </summary>
    /// <param name="because">Why, for the file in play it matched (folder-relative); "applies to src/a.py" unless told.</param>
    public static IReadOnlyList<(InstructionsFile File, string Why)> Matching(IReadOnlyList<ScopedInstruction> scoped, IEnumerable<string> inPlay, Func<string, string>? because = null)
    {
        var files = inPlay.ToList();
        var sent = new List<(InstructionsFile, string)>();
        foreach (var instruction in scoped)
        {
            // A record's instruction with no workspace folder open: no file is in play, it goes only when it always applies.
            if (instruction.Folder.Length == 0)
            {
                if (instruction.Always) sent.Add((new InstructionsFile(instruction.Path, instruction.Text), "always applies"));
                continue;
            }
            var root = Path.GetFullPath(instruction.Folder).TrimEnd(Path.DirectorySeparatorChar);
            var relative = files.Select(f => Path.IsPathRooted(f) ? Path.GetRelativePath(root, f) : f)
                .Where(f => !f.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(f)).Select(f => f.Replace('\\', '/')).ToList();
            if (instruction.AppliesTo(relative) is not { } reason) continue;
            sent.Add((new InstructionsFile(instruction.Path, instruction.Text), reason == "always" ? "always applies" : because?.Invoke(reason) ?? $"applies to {reason}"));
        }
        return sent;
    }

    /// <summary>
    /// The files the finished <c>read</c>, <c>write</c> and <c>edit</c> calls of <paramref name="answers"/> touched, in
    /// call order, as absolute paths in the workspace folders: a path the tools took in <paramref name="toolFolders"/>
    /// (a task's worktree) is the same path in the matching <paramref name="workspaceFolders"/> folder.
    /// </summary>
    public static IReadOnlyList<TouchedFile> Touched(IEnumerable<SessionMessage> answers, IReadOnlyList<string> toolFolders, IReadOnlyList<string> workspaceFolders)
    {
        var touched = new List<TouchedFile>();
        if (toolFolders.Count == 0) return touched;
        foreach (var call in answers.SelectMany(m => m.Parts).OfType<ToolUsePart>().Where(c => c.State == ToolState.Completed))
        {
            var how = call.Name switch { "read" => "read", "write" or "edit" => "written", _ => null };
            if (how is null || call.Input is not JsonObject input || input["path"] is not JsonValue value || !value.TryGetValue(out string? given) || string.IsNullOrWhiteSpace(given)) continue;
            var full = Path.GetFullPath(Path.IsPathRooted(given) ? given : Path.Combine(toolFolders[0], given));
            for (var i = 0; i < toolFolders.Count && i < workspaceFolders.Count; i++)
            {
                var relative = Path.GetRelativePath(Path.GetFullPath(toolFolders[i]), full);
                if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) continue;
                touched.Add(new TouchedFile(Path.Combine(Path.GetFullPath(workspaceFolders[i]), relative), how));
                break;
            }
        }
        return touched;
    }
}

/// <summary>A file a tool call read or wrote (<paramref name="How"/>: <c>read</c>, <c>written</c>), by its absolute path.</summary>
public sealed record TouchedFile(string Path, string How);
