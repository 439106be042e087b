using System.Text;
using System.Text.RegularExpressions;

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
        return Regex.IsMatch(relative, Pattern(glob), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
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

    private static string Pattern(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') pattern.Append("[^/]*");
            else if (c == '?') pattern.Append("[^/]");
            else pattern.Append(Regex.Escape(c.ToString()));
        }
        return pattern.Append('$').ToString();
    }
}
