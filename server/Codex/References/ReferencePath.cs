namespace Plue.Codex.References;

/// <summary>Checks shared by every reference kind: nothing that could climb out of a root.</summary>
internal static class ReferencePath
{
    /// <summary>
    /// The path after <paramref name="scheme"/> when <paramref name="text"/> starts with it and the path is safe;
    /// otherwise null, and <paramref name="error"/> says why.
    /// </summary>
    public static string? After(string scheme, string text, out string error)
    {
        if (!text.StartsWith(scheme, StringComparison.Ordinal))
        {
            error = $"'{text}' is not a {scheme} reference";
            return null;
        }
        var rest = text[scheme.Length..];
        error = Unsafe(rest) is { } why ? $"'{text}' is refused: {why}" : "";
        return error.Length == 0 ? rest : null;
    }

    /// <summary>Why the path part of a reference is refused, or null when it is safe.</summary>
    public static string? Unsafe(string path)
    {
        if (path.Contains('%', StringComparison.Ordinal)) return "encoded characters (%) are not allowed";
        if (path.Contains('\\', StringComparison.Ordinal)) return "backslashes are not allowed";
        if (path.StartsWith('/') || (path.Length > 1 && path[1] == ':')) return "absolute paths are not allowed";
        if (path.Any(char.IsControl)) return "control characters are not allowed";
        if (path.IndexOfAny(['?', '#']) >= 0) return "queries and fragments are not allowed";
        if (path.Split('/').Any(s => s is ".." or "." || s.Length == 0)) return "'..', '.' and empty segments are not allowed";
        return null;
    }
}
