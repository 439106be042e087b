using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Plue.Context;

/// <summary>
/// A web page reduced to its text for a model: scripts, styles and comments dropped, blocks as lines, tags stripped,
/// entities decoded, whitespace collapsed.
/// </summary>
public static partial class PageText
{
    public static string FromHtml(string html)
    {
        var text = Dropped().Replace(html, " ");
        text = Comments().Replace(text, " ");
        text = BlockBreaks().Replace(text, "\n");
        text = Tags().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        return Collapse(text);
    }

    /// <summary>Runs of spaces and tabs as one space, each line trimmed, at most one empty line in a row.</summary>
    public static string Collapse(string text)
    {
        var result = new StringBuilder();
        var empty = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0)
            {
                if (result.Length > 0 && empty++ == 0) result.Append('\n');
                continue;
            }
            empty = 0;
            result.Append(line).Append('\n');
        }
        return result.ToString().Trim();
    }

    [GeneratedRegex(@"<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Dropped();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"<\s*(br|/?p|/?div|/?li|/?ul|/?ol|/?tr|/?table|/?h[1-6]|/?pre|/?blockquote|/?section|/?article|/?header|/?footer|/?nav|hr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockBreaks();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\f\v\u00a0]+")]
    private static partial Regex Spaces();
}
