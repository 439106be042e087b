namespace Plue.Workspace;

/// <summary>
/// The instructions a workspace gives every agent, in the files where projects keep them: <c>AGENTS.md</c> at each folder's
/// root and the nearest one above each file in play, <c>CLAUDE.md</c> likewise, <c>GEMINI.md</c>,
/// <c>.github/copilot-instructions.md</c>, <c>.clinerules</c> (a file, or a folder of <c>.md</c> files) and
/// <c>.plue/rules/*.md</c>. A file holding the text of one already read (a CLAUDE.md linked to AGENTS.md) is sent once. Only regular files inside the folder are read (no device, FIFO or link out), each within
/// <see cref="MaxFileBytes"/> and all within <see cref="MaxTotalBytes"/>: a file past either is left out, named in
/// <c>skipped</c> with why.
/// </summary>
public static class InstructionsFiles
{
    public const int MaxFileBytes = 64 * 1024;
    public const int MaxTotalBytes = 128 * 1024;
    // As many as the customizations list takes of a folder, so a listed rule is a sent one (the KiB cap bounds them).
    private const int MaxRules = 200;

    /// <summary>The workspace's instructions files; none in an untrusted workspace, which gives no prompts (as it gives no templates).</summary>
    /// <param name="texts">The files' texts kept between turns, cleared when a file changes; null: read now.</param>
    /// <param name="before">The files already sent ahead of these (the user's own): they count toward the cap, and a file of the same text is not sent again.</param>
    public static IReadOnlyList<InstructionsFile> For(WorkspaceContext workspace, IEnumerable<string> filesInPlay, ICollection<string>? skipped = null, FileTextCache? texts = null,
        IReadOnlyList<InstructionsFile>? before = null) =>
        workspace.Trusted ? Find(workspace.Folders, filesInPlay, skipped, texts, before) : [];

    /// <summary>The files as the system prompt's last section; null when there are none.</summary>
    public static string? Prompt(IReadOnlyList<InstructionsFile> files) => files.Count == 0 ? null
        : "The instructions files (the user's own and the workspace's) follow. Follow them unless the user says otherwise.\n\n"
          + string.Join("\n\n", files.Select(f => $"<instructions file=\"{f.Path}\">\n{f.Text.TrimEnd()}\n</instructions>"));

    public static IReadOnlyList<InstructionsFile> Find(IReadOnlyList<string> folders, IEnumerable<string> filesInPlay, ICollection<string>? skipped = null, FileTextCache? texts = null,
        IReadOnlyList<InstructionsFile>? before = null)
    {
        var prior = before ?? [];
        var found = new List<InstructionsFile>();
        var total = prior.Sum(f => f.Text.Length);
        var inPlay = filesInPlay.ToList();
        foreach (var folder in folders)
        {
            foreach (var relative in Candidates(folder, inPlay))
            {
                var path = Path.Combine(folder, relative);
                // File.Exists is true of a FIFO or a device too: RegularFile refuses those, and they are named as skipped.
                if (!File.Exists(path)) continue;
                try
                {
                    if (!Inside(folder, path)) throw new RegularFileException("it leads outside the workspace folder");
                    var text = texts?.Read(path, MaxFileBytes) ?? RegularFile.ReadText(path, MaxFileBytes);
                    if (prior.Concat(found).FirstOrDefault(f => SameText(f.Text, text)) is { } same)
                    {
                        skipped?.Add($"{relative.Replace('\\', '/')} was not sent again: it holds the same text as {same.Path}");
                        continue;
                    }
                    if (total + text.Length > MaxTotalBytes) throw new RegularFileException($"the instructions already fill {MaxTotalBytes / 1024} KiB");
                    total += text.Length;
                    found.Add(new InstructionsFile(relative.Replace('\\', '/'), text));
                }
                catch (RegularFileException e)
                {
                    skipped?.Add($"{relative.Replace('\\', '/')} was not read: {e.Message}");
                }
            }
        }
        return found;
    }

    /// <summary>Two files hold the same instructions: the same text, line ends and trailing space aside.</summary>
    public static bool SameText(string a, string b) =>
        string.Equals(a.ReplaceLineEndings("\n").Trim(), b.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal);

    /// <summary>The files to look for under one folder, in the order the model reads them, each once.</summary>
    private static IEnumerable<string> Candidates(string folder, IReadOnlyList<string> inPlay)
    {
        var names = new List<string> { "AGENTS.md" };
        foreach (var file in inPlay)
            if (Nearest(folder, file, "AGENTS.md") is { } nearest) names.Add(nearest);
        names.Add("CLAUDE.md");
        foreach (var file in inPlay)
            if (Nearest(folder, file, "CLAUDE.md") is { } nearest) names.Add(nearest);
        names.Add("GEMINI.md");
        names.Add(Path.Combine(".github", "copilot-instructions.md"));
        names.Add(".clinerules");
        names.AddRange(Rules(folder, ".clinerules"));
        names.AddRange(Rules(folder, Path.Combine(".plue", "rules")));
        return names.Distinct(StringComparer.Ordinal);
    }

    /// <summary>A rules folder's <c>.md</c> files, folder-relative, in name order; none when it is no folder inside the workspace.</summary>
    private static IEnumerable<string> Rules(string folder, string relative)
    {
        var rules = Path.Combine(folder, relative);
        if (!Directory.Exists(rules) || !Inside(folder, rules)) return [];
        return Directory.EnumerateFileSystemEntries(rules, "*.md").Order(StringComparer.Ordinal).Take(MaxRules).Select(p => Path.GetRelativePath(folder, p));
    }

    /// <summary>The <paramref name="name"/> nearest above <paramref name="file"/> (folder-relative or absolute), below the root; null when none.</summary>
    private static string? Nearest(string folder, string file, string name)
    {
        var full = Path.GetFullPath(Path.IsPathRooted(file) ? file : Path.Combine(folder, file));
        var root = Path.GetFullPath(folder);
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return Path.GetRelativePath(root, candidate);
        }
        return null;
    }

    /// <summary>Whether the real path (links followed) stays inside the folder's real path.</summary>
    private static bool Inside(string folder, string path)
    {
        var root = Real(Path.GetFullPath(folder));
        var real = Real(Path.GetFullPath(path));
        return real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Real(string path)
    {
        // Resolve each link on the way, so a link in a parent folder counts too.
        var parent = Path.GetDirectoryName(path);
        var resolvedParent = parent is null ? null : Real(parent);
        var here = resolvedParent is null ? path : Path.Combine(resolvedParent, Path.GetFileName(path));
        var info = new FileInfo(here);
        if (info.LinkTarget is null) return here;
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? here;
        return target == here ? here : Real(target);
    }
}
