using System.Text;

namespace Plue.Codex.Records;

/// <summary>Readable, reference-safe names made from titles: "Fix the CI!" becomes "fix-the-ci", "claude-4.5-sonnet" stays as it is.</summary>
public static class Slugs
{
    public const int MaxLength = 60;

    /// <param name="keepDots">False for a kind whose slug is joined to others by dots (an MCP server's): a dot is a separator like any other.</param>
    public static string FromTitle(string title, string fallback, bool keepDots = true)
    {
        var builder = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') builder.Append(c);
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            // A dot the user typed between letters or digits stays (4.5); any other run of separators is one '-'.
            else if (keepDots && c == '.' && builder.Length > 0 && IsAlphanumeric(builder[^1])) builder.Append('.');
            else if (builder.Length > 0 && builder[^1] == '.') builder[^1] = '-';
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
            if (builder.Length >= MaxLength) break;
        }
        var slug = builder.ToString().Trim('-', '.');
        return slug.Length > 0 ? slug : fallback;
    }

    private static bool IsAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    /// <summary>Lower-case letters, digits and '-', and dots between them (claude-4.5-sonnet), starting with a letter or digit.</summary>
    public static bool IsValid(string slug) =>
        slug.Length is > 0 and <= MaxLength && slug[0] is >= 'a' and <= 'z' or >= '0' and <= '9'
        && slug.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.')
        && !slug.Contains("..", StringComparison.Ordinal) && !slug.EndsWith('.');
}
