namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// A write/edit grant's path glob, matched on the path relative to its workspace folder with '/' between names:
/// <c>*</c> within one name, <c>**</c> across folders, <c>?</c> one character. A path outside every workspace folder
/// never matches.
/// </summary>
public static class PathGlob
{
    public static bool Matches(string glob, string? path, IReadOnlyList<string> folders)
    {
        if (Relative(path, folders) is not { } relative) return false;
        return Match(glob, relative);
    }

    /// <summary>The glob "Always…" offers for a path: its folder's files and below (<c>src/parser/**</c>); null at the root, where it would be the whole tool.</summary>
    public static string? Suggest(string? path, IReadOnlyList<string> folders)
    {
        if (Relative(path, folders) is not { } relative) return null;
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? null : $"{relative[..slash]}/**";
    }

    /// <summary>The path relative to the folder holding it (a relative path is the first folder's), or null outside them.</summary>
    public static string? Relative(string? path, IReadOnlyList<string> folders)
    {
        if (string.IsNullOrWhiteSpace(path) || folders.Count == 0) return null;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folders[0], path));
        foreach (var folder in folders)
        {
            var relative = Path.GetRelativePath(Path.GetFullPath(folder), full);
            if (relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
                return relative.Replace(Path.DirectorySeparatorChar, '/');
        }
        return null;
    }

    /// <summary>At most this many <c>**</c> in one glob: more says nothing a shorter glob does not.</summary>
    public const int MaxGlobStars = 4;

    /// <summary>
    /// Why a glob cannot be a rule, in the user's words; null when it can. Matching is linear whatever the glob, but a
    /// glob of many <c>**</c> is a mistake (or a trap) better refused where it is written.
    /// </summary>
    public static string? Problem(string? glob)
    {
        if (string.IsNullOrEmpty(glob)) return null;
        var stars = 0;
        for (var i = glob.IndexOf("**", StringComparison.Ordinal); i >= 0; i = glob.IndexOf("**", i + 2, StringComparison.Ordinal)) stars++;
        return stars > MaxGlobStars
            ? $"has {stars} '**'; a path glob may hold at most {MaxGlobStars} (for example src/**/*.ts, or src/** for a folder and everything below it)"
            : null;
    }

    private enum Step { Char, AnyChar, Name, Any, FoldersStart, FoldersInside }

    /// <summary>
    /// The glob run as a set of positions over the path, one character at a time (no backtracking, no regular
    /// expression): time grows with the path's length times the glob's, whatever either holds.
    /// </summary>
    private static bool Match(string glob, string text)
    {
        var steps = new List<(Step Kind, char Char)>();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                if (i + 2 < glob.Length && glob[i + 2] == '/')
                {
                    // "**/": nothing, or any run of characters that ends with '/'.
                    steps.Add((Step.FoldersStart, '\0'));
                    steps.Add((Step.FoldersInside, '\0'));
                    i += 2;
                }
                else
                {
                    steps.Add((Step.Any, '\0'));
                    i += 1;
                }
            }
            else steps.Add(c switch { '*' => (Step.Name, '\0'), '?' => (Step.AnyChar, '\0'), _ => (Step.Char, c) });
        }
        var accept = steps.Count;
        var now = new bool[accept + 1];
        var next = new bool[accept + 1];
        now[0] = true;
        Close(steps, now);
        foreach (var c in text)
        {
            Array.Clear(next);
            for (var at = 0; at < accept; at++)
            {
                if (!now[at]) continue;
                var (kind, want) = steps[at];
                switch (kind)
                {
                    case Step.Char when c == want:
                    case Step.AnyChar when c != '/':
                        next[at + 1] = true;
                        break;
                    case Step.Name when c != '/':
                    case Step.Any:
                        next[at] = true;
                        break;
                    case Step.FoldersInside:
                        next[at] = true;
                        if (c == '/') next[at + 1] = true;
                        break;
                }
            }
            Close(steps, next);
            (now, next) = (next, now);
        }
        return now[accept];
    }

    /// <summary>Adds the positions reached without reading a character (a star's empty run); steps only go forward.</summary>
    private static void Close(List<(Step Kind, char Char)> steps, bool[] at)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (!at[i]) continue;
            switch (steps[i].Kind)
            {
                case Step.Name or Step.Any:
                    at[i + 1] = true;
                    break;
                case Step.FoldersStart:
                    // Nothing at all (past the inside step too), or into the run that ends with '/'.
                    at[i + 1] = true;
                    at[i + 2] = true;
                    break;
            }
        }
    }
}
