using System.Text.RegularExpressions;

namespace Plue.Codex.References;

/// <summary>
/// <c>codex://&lt;collection&gt;/&lt;slug&gt;</c> names a record; <c>codex://prompts/&lt;name&gt;.md</c> a prompt file.
/// Parsing refuses anything that could leave its root: <c>..</c>, encoded characters,
/// absolute paths, backslashes. Symlinks are checked where files are opened.
/// </summary>
public sealed partial record CodexReference(string Collection, string Name)
{
    public const string Scheme = "codex://";
    public const string PromptsCollection = "prompts";

    public bool IsPrompt => Collection == PromptsCollection;

    public override string ToString() => $"{Scheme}{Collection}/{Name}";

    public static CodexReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse(string text, out CodexReference reference, out string error)
    {
        reference = null!;
        if (ReferencePath.After(Scheme, text, out error) is not { } rest) return false;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            error = $"'{text}' must be codex://<collection>/<name>";
            return false;
        }
        var collection = rest[..slash];
        var name = rest[(slash + 1)..];
        if (!CollectionPattern().IsMatch(collection))
        {
            error = $"'{text}': collection '{collection}' must be lower-case letters, digits and '-'";
            return false;
        }
        if (collection == PromptsCollection)
        {
            if (!name.EndsWith(".md", StringComparison.Ordinal) || name.Split('/').Any(s => !PromptSegmentPattern().IsMatch(s)))
            {
                error = $"'{text}': a prompt is named <name>.md, in folders of letters, digits, '.', '_' and '-'";
                return false;
            }
        }
        else if (!SlugPattern().IsMatch(name))
        {
            error = $"'{text}': a record is named by its slug: lower-case letters, digits, '-' and single dots between them";
            return false;
        }
        reference = new CodexReference(collection, name);
        error = "";
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex CollectionPattern();

    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9-]|\.(?=[a-z0-9]))*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$")]
    private static partial Regex PromptSegmentPattern();
}
