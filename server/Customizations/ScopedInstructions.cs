using Plue.Codex.Content;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Customizations;

/// <summary>
/// Scoped instructions (docs/CUSTOMIZATIONS.md): a used <c>applyTo</c> or <c>globs</c> file joins a chat's system
/// prompt only when a file it matches is in play (attached, or kept in the chat's context); one with
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
    public static IReadOnlyList<(InstructionsFile File, string Why)> Matching(IReadOnlyList<ScopedInstruction> scoped, IEnumerable<string> inPlay)
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
            sent.Add((new InstructionsFile(instruction.Path, instruction.Text), reason == "always" ? "always applies" : $"applies to {reason}"));
        }
        return sent;
    }
}
