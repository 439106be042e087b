namespace Plue.Agents.Tools.Shell;

/// <summary>
/// The environment a command of the agent gets: the sidecar's, less its secrets. The vault key and every other
/// PLUE_ variable, and provider credentials (ANTHROPIC_API_KEY, OPENAI_API_KEY, HF_TOKEN...), stay in the sidecar:
/// a model could otherwise print them with one <c>env</c>.
/// </summary>
public static class ChildEnvironment
{
    private static readonly string[] s_secretSuffixes = ["_API_KEY", "_APIKEY", "_AUTH_TOKEN", "_OAUTH_TOKEN", "_SECRET_KEY"];
    private static readonly HashSet<string> s_secretNames = new(StringComparer.OrdinalIgnoreCase) { "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN" };

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

    /// <summary>This process's environment.</summary>
    public static IReadOnlyDictionary<string, string?> Current()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string;
        return variables;
    }
}
