namespace Plue.Processes;

/// <summary>
/// The environment every child the sidecar starts is built from: a small named set of the sidecar's variables (where
/// the user is, how text is shown, where programs are), never the whole of it. Whatever else the sidecar holds (the
/// vault key, cloud credentials, tokens, passwords in URLs) stays in the sidecar, whatever its name: a model could
/// otherwise print it with one <c>env</c>. A variable the user wants a child to see is named in
/// <see cref="UserNamed"/>; a child that needs a credential of its own gets it added by name on top. Every child also
/// gets the sidecar's <see cref="ChildProcesses.MarkName"/>, by which it is found and killed with the sidecar.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>The sidecar's variable listing, comma-separated, what else the user wants children to see (JAVA_HOME,GOPATH).</summary>
    public const string UserNamed = "PLUE_CHILD_ENV";

    // Not XDG_RUNTIME_DIR: the runtime folder holds the session bus, the gpg and ssh agents and the editor's own
    // sockets, which the sandbox hides (docs/SANDBOX.md, "The doors").
    private static readonly HashSet<string> s_basics = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "COLORTERM", "TMPDIR", "TZ",
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
        // Windows: what a program there cannot start or find its folders without.
        "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "TEMP", "TMP", "USERPROFILE", "USERNAME", "HOMEDRIVE", "HOMEPATH",
        "APPDATA", "LOCALAPPDATA", "PROGRAMDATA", "PROGRAMFILES", "PROGRAMFILES(X86)", "COMMONPROGRAMFILES", "NUMBER_OF_PROCESSORS",
        "PROCESSOR_ARCHITECTURE", "OS",
    };

    /// <summary>Whether <paramref name="name"/> is one of the basics every child gets (PATH, HOME, LANG, LC_*, TERM, …).</summary>
    public static bool IsBasic(string name) => s_basics.Contains(name) || name.StartsWith("LC_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The words of a variable's name that make its value a credential (GITHUB_TOKEN, NPM_AUTH, DB_PASSWORD, AWS_SECRET_ACCESS_KEY).</summary>
    private static readonly HashSet<string> s_secretWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "TOKEN", "TOKENS", "SECRET", "SECRETS", "KEY", "KEYS", "APIKEY", "PASSWORD", "PASSWD", "PASSPHRASE", "PASS",
        "CREDENTIAL", "CREDENTIALS", "CREDS", "AUTH", "PAT", "COOKIE",
    };

    /// <summary>
    /// Whether a variable named <paramref name="name"/> holds a credential: a word of its name (split at '_', '-' and
    /// '.') is TOKEN, SECRET, KEY, PASSWORD, AUTH, … A child's output is scrubbed of such values (the bash tool's).
    /// </summary>
    public static bool IsSecretName(string name) =>
        !IsBasic(name) && name.Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries).Any(s_secretWords.Contains);

    /// <summary>The values of <paramref name="environment"/> whose names hold credentials (<see cref="IsSecretName"/>).</summary>
    public static IEnumerable<string> SecretValues(IEnumerable<KeyValuePair<string, string?>> environment) =>
        environment.Where(v => v.Value is { Length: > 0 } && IsSecretName(v.Key)).Select(v => v.Value!);

    /// <summary>
    /// Replaces <paramref name="target"/> (a ProcessStartInfo's, filled from this process) with the basics of
    /// <paramref name="source"/>, the variables its <see cref="UserNamed"/> lists, and those <paramref name="alsoAllowed"/>
    /// accepts; a value holding a URL with a password (a proxy's) is left out whatever its name.
    /// </summary>
    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string?> source, Func<string, bool>? alsoAllowed = null)
    {
        var named = Named(source);
        target.Clear();
        foreach (var (name, value) in source)
        {
            if (value is null || HoldsUrlPassword(value) || name.StartsWith("PLUE_", StringComparison.OrdinalIgnoreCase)) continue;
            if (IsBasic(name) || named.Contains(name) || alsoAllowed?.Invoke(name) == true) target[name] = value;
        }
        if (ChildProcesses.Mark is { } mark) target[ChildProcesses.MarkName] = mark;
    }

    /// <summary>
    /// Replaces <paramref name="target"/> with only <paramref name="names"/> of this process's environment (those set),
    /// and the mark: for a child that needs less than the basics (the ssh client of an ssh:// engine).
    /// </summary>
    public static void ApplyOnly(IDictionary<string, string?> target, IEnumerable<string> names)
    {
        target.Clear();
        foreach (var name in names)
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) target[name] = value;
        if (ChildProcesses.Mark is { } mark) target[ChildProcesses.MarkName] = mark;
    }

    /// <summary>Replaces <paramref name="target"/> with the named set of this process's environment.</summary>
    public static void Apply(IDictionary<string, string?> target, Func<string, bool>? alsoAllowed = null) => Apply(target, Current(), alsoAllowed);

    /// <summary>The named set of this process's environment, as a new dictionary.</summary>
    public static Dictionary<string, string?> Build(Func<string, bool>? alsoAllowed = null)
    {
        var built = new Dictionary<string, string?>(StringComparer.Ordinal);
        Apply(built, alsoAllowed);
        return built;
    }

    /// <summary>This process's environment.</summary>
    public static IReadOnlyDictionary<string, string?> Current()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string;
        return variables;
    }

    private static HashSet<string> Named(IReadOnlyDictionary<string, string?> source) =>
        new(source.GetValueOrDefault(UserNamed)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            StringComparer.OrdinalIgnoreCase);

    /// <summary><c>scheme://user:password@host</c> anywhere in the value.</summary>
    private static bool HoldsUrlPassword(string value)
    {
        for (var at = value.IndexOf("://", StringComparison.Ordinal); at >= 0; at = value.IndexOf("://", at + 3, StringComparison.Ordinal))
        {
            var rest = value.AsSpan(at + 3);
            var end = rest.IndexOfAny("/?# \t\n,;");
            var authority = end < 0 ? rest : rest[..end];
            var userInfo = authority.LastIndexOf('@');
            if (userInfo > 0 && authority[..userInfo].Contains(':')) return true;
        }
        return false;
    }
}
