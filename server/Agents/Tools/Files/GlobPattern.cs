using System.Text;
using System.Text.RegularExpressions;

namespace Plue.Agents.Tools.Files;

/// <summary>
/// A file glob as ripgrep reads <c>--glob</c>: <c>*</c>, <c>?</c>, <c>**</c>, <c>{a,b}</c>, <c>[abc]</c>; a glob without
/// '/' matches a file's name at any depth, one with '/' its path below the search root.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;
    private readonly bool _matchesName;

    public GlobPattern(string glob)
    {
        _matchesName = !glob.Contains('/', StringComparison.Ordinal);
        _regex = new Regex("^" + Translate(glob.TrimStart('/')) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <param name="relativePath">The file's path below the search root, '/'-separated.</param>
    public bool Matches(string relativePath) =>
        _regex.IsMatch(_matchesName ? relativePath[(relativePath.LastIndexOf('/') + 1)..] : relativePath);

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        var inBraces = false;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                    regex.Append(slashAfter ? "(?:.*/)?" : ".*");
                    i += slashAfter ? 2 : 1;
                    break;
                case '*': regex.Append("[^/]*"); break;
                case '?': regex.Append("[^/]"); break;
                case '{': regex.Append("(?:"); inBraces = true; break;
                case '}' when inBraces: regex.Append(')'); inBraces = false; break;
                case ',' when inBraces: regex.Append('|'); break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0) goto default;
                    var set = glob[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                default: regex.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return regex.ToString();
    }
}
