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
        if (ReferencePath.After(Scheme, text, out error) is not { } rest) return false;
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
