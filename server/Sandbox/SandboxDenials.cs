using System.Text.RegularExpressions;

namespace Plue.Sandbox;

/// <summary>One thing the sandbox stopped: a path written (or read) outside what the policy opens, or a host reached.</summary>
public sealed record SandboxDenial(string Kind, string What)
{
    public const string Path = "path";
    public const string Host = "host";
}

/// <summary>
/// Finds what a sandboxed command was stopped from doing: the paths its tools reported "Read-only file system" or
/// "Permission denied" for, outside its workspace (a denial the sandbox made, not one the files' owners did), and
/// the hosts the proxy refused. The note tells the model what happened and that the user can allow it.
/// </summary>
public static partial class SandboxDenials
{
    private const int Most = 10;

    public static IReadOnlyList<SandboxDenial> Find(string output, IReadOnlyList<string> refusedHosts, IReadOnlyList<string> roots)
    {
        var found = new List<SandboxDenial>();
        foreach (Match match in Denied().Matches(output))
        {
            var path = (match.Groups["quoted"].Success ? match.Groups["quoted"] : match.Groups["bare"]).Value.Trim();
            // Inside the workspace only a planted place (.vscode, .envrc: SandboxPlaces.PlantedInWorkspace) is the sandbox's refusal.
            if (!path.StartsWith('/') || (roots.Any(r => path == r || path.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal)) && SandboxPlaces.PlantedPlace(path) is null)) continue;
            if (!found.Any(d => d.What == path)) found.Add(new SandboxDenial(SandboxDenial.Path, path));
        }
        foreach (var host in refusedHosts.Distinct(StringComparer.OrdinalIgnoreCase)) found.Add(new SandboxDenial(SandboxDenial.Host, host));
        return found.Count > Most ? found[..Most] : found;
    }

    /// <summary>What the model reads after the output: what was stopped, by which policy, and that only the user can widen it.</summary>
    public static string Note(SandboxPolicy policy, IReadOnlyList<SandboxDenial> denials)
    {
        var what = string.Join("; ", denials.Select(d => d.Kind == SandboxDenial.Host ? $"connecting to {d.What}" : $"{d.What} (outside the workspace)"));
        return $"[The sandbox ({policy.Describe()}) denied: {what}. Do not work around it: the user can allow it once or always for this workspace.]";
    }

    // touch: cannot touch '/etc/x': Read-only file system · bash: /etc/x: Permission denied · cat: /home/u/.plue/plue.db: No such file
    [GeneratedRegex(@"(?:'(?<quoted>/[^'\n]+)'|(?<bare>/[^:'\n]+)): (?:Read-only file system|Permission denied)", RegexOptions.CultureInvariant)]
    private static partial Regex Denied();
}
