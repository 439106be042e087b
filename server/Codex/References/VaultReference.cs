using System.Text.RegularExpressions;

namespace Plue.Codex.References;

/// <summary><c>vault://&lt;provider&gt;/&lt;key&gt;</c>: where a secret lives in the vault. Parsed here, resolved by the vault.</summary>
public sealed partial record VaultReference(string Provider, string Key)
{
    public const string Scheme = "vault://";

    public override string ToString() => $"{Scheme}{Provider}/{Key}";

    public static bool TryParse(string text, out VaultReference reference, out string error)
    {
        reference = null!;
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            error = $"'{text}' is not a vault:// reference";
            return false;
        }
        var rest = text[Scheme.Length..];
        if (ReferencePath.Unsafe(rest) is { } why)
        {
            error = $"'{text}' is refused: {why}";
            return false;
        }
        var parts = rest.Split('/');
        if (parts.Length != 2 || !SegmentPattern().IsMatch(parts[0]) || !SegmentPattern().IsMatch(parts[1]))
        {
            error = $"'{text}' must be vault://<provider>/<key> (letters, digits, '.', '_', '-')";
            return false;
        }
        reference = new VaultReference(parts[0], parts[1]);
        error = "";
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$")]
    private static partial Regex SegmentPattern();
}
