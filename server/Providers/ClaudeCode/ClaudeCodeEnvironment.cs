using Plue.Processes;
using Plue.Providers;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The child's environment: the only way secrets and the endpoint reach the CLI (never argv, never logs). Built on
/// purpose: the basics every child gets (<see cref="ChildEnvironment"/>), the CLI's own settings (CLAUDE_*, ANTHROPIC_*:
/// its config folder, its credential), plus the instance's credential only, so its Bash tool cannot print another
/// provider's key or the vault's.
/// </summary>
internal static class ClaudeCodeEnvironment
{
    /// <summary>Claude subscription tokens (from <c>claude setup-token</c>) look like this; API keys are sk-ant-api...</summary>
    private const string OAuthTokenPrefix = "sk-ant-oat";

    /// <summary>The variables the CLI reads its own credential from.</summary>
    private static readonly string[] s_credentials = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"];

    /// <summary>Replaces <paramref name="environment"/> with the basics and the CLI's own variables (its settings and credential) of the sidecar's.</summary>
    public static void ApplyBase(IDictionary<string, string?> environment) => ChildEnvironment.Apply(environment, IsCliOwn);

    private static bool IsCliOwn(string name) =>
        name.StartsWith("CLAUDE_", StringComparison.Ordinal) || name.StartsWith("ANTHROPIC_", StringComparison.Ordinal);

    public static void Apply(IDictionary<string, string?> environment, ProviderConnection connection, IReadOnlyDictionary<string, string?>? overrides)
    {
        ApplyBase(environment);
        if (connection.ApiKey is { Length: > 0 } key)
        {
            // An explicit credential wins over whatever the sidecar inherited.
            foreach (var name in s_credentials) environment.Remove(name);
            environment[key.StartsWith(OAuthTokenPrefix, StringComparison.Ordinal) ? "CLAUDE_CODE_OAUTH_TOKEN" : "ANTHROPIC_API_KEY"] = key;
        }
        if (connection.Endpoint is { Length: > 0 } endpoint) environment["ANTHROPIC_BASE_URL"] = endpoint.TrimEnd('/');
        // Stops calls that bypass the base URL (telemetry, update checks).
        if (!environment.ContainsKey("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")) environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        if (overrides is null) return;
        foreach (var (name, value) in overrides)
        {
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
    }

    /// <summary><paramref name="cliPath"/> if given, else the first <c>claude</c> on PATH, else null.</summary>
    public static string? ResolveCli(string? cliPath)
    {
        if (cliPath is { Length: > 0 }) return cliPath;
        var names = OperatingSystem.IsWindows() ? new[] { "claude.exe", "claude.cmd", "claude" } : ["claude"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
