using System.Text;
using System.Text.RegularExpressions;

namespace Plue.Customizations;

/// <summary>
/// The globs of <c>applyTo</c> and <c>globs</c> as the peers read them, against a folder-relative path with '/':
/// <c>**</c> any folders, <c>*</c> and <c>?</c> within a name, <c>{a,b}</c> either; a pattern with no '/' matches a
/// file's name in any folder (<c>*.py</c> is <c>**/*.py</c>); a leading <c>/</c> or <c>./</c> anchors at the root.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    private GlobPattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    /// <summary>Whether it matches every file (<c>**</c>, <c>**/*</c>): such an instruction always applies.</summary>
    public bool MatchesAll => Text is "**" or "**/*" or "*" or "/**";

    public bool Matches(string relativePath) => _regex.IsMatch(relativePath.Replace('\\', '/').TrimStart('/'));

    /// <summary>The patterns of a field: its list items, or one string split at its top-level commas.</summary>
    public static IReadOnlyList<GlobPattern> Parse(FrontMatterField? field)
    {
        if (field is null) return [];
        var texts = field.Items ?? SplitTopLevel(field.Scalar ?? "");
        return [.. texts.Select(t => t.Trim()).Where(t => t.Length > 0).Select(Compile)];
    }

    public static GlobPattern Compile(string text)
    {
        var pattern = text.StartsWith("./", StringComparison.Ordinal) ? text[2..] : text;
        var anchored = pattern.StartsWith('/') || pattern.TrimEnd('/').Contains('/');
        pattern = pattern.TrimStart('/');
        var regex = new StringBuilder("^");
        if (!anchored) regex.Append("(?:.*/)?");
        var braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '{') { braces++; regex.Append("(?:"); }
            else if (c == '}' && braces > 0) { braces--; regex.Append(')'); }
            else if (c == ',' && braces > 0) regex.Append('|');
            else regex.Append(Regex.Escape(c.ToString()));
        }
        // A folder matches the files below it.
        regex.Append(pattern.EndsWith('/') ? ".*$" : "(?:/.*)?$");
        return new GlobPattern(text, new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && depth > 0) depth--;
            else if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }
}
