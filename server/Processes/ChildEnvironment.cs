namespace Plue.Processes;

/// <summary>
/// The environment every child the sidecar starts is built from: the sidecar's, less its secrets. The vault key and
/// every other PLUE_ variable, provider credentials (ANTHROPIC_API_KEY, OPENAI_API_KEY...), tokens (HF_TOKEN,
/// GITHUB_TOKEN...) and passwords stay in the sidecar: a model could otherwise print them with one <c>env</c>. A child
/// that needs a credential of its own gets it added by name on top.
/// </summary>
public static class ChildEnvironment
{
    private static readonly string[] s_secretSuffixes =
        ["_API_KEY", "_APIKEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_ACCESS_KEY", "_PASSWORD", "_PASSWD", "_CREDENTIALS"];
    private static readonly HashSet<string> s_secretNames = new(StringComparer.OrdinalIgnoreCase) { "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "NPM_TOKEN", "NETRC" };

    public static bool IsSecret(string name) =>
        name.StartsWith("PLUE_", StringComparison.OrdinalIgnoreCase)
        || s_secretNames.Contains(name)
        || s_secretSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces <paramref name="target"/> (a ProcessStartInfo's, filled from this process) with <paramref name="source"/> minus secrets.</summary>
    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string?> source)
    {
        target.Clear();
        foreach (var (name, value) in source)
            if (!IsSecret(name)) target[name] = value;
    }

    /// <summary>Replaces <paramref name="target"/> with this process's environment minus secrets.</summary>
    public static void Apply(IDictionary<string, string?> target) => Apply(target, Current());

    /// <summary>This process's environment.</summary>
    public static IReadOnlyDictionary<string, string?> Current()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string;
        return variables;
    }
}
