using System.Text.RegularExpressions;

namespace Plue.Sandbox;

/// <summary>One thing the sandbox stopped: a path written (or read) outside what the policy opens, or a host reached.</summary>
public sealed record SandboxDenial(string Kind, string What)
{
    public const string Path = "path";
    public const string Host = "host";

    /// <summary>The denials as the wire carries them on a tool result.</summary>
    public static IReadOnlyList<Protocol.SandboxDenialInfo> Info(IEnumerable<SandboxDenial> denials) =>
        [.. denials.Select(d => new Protocol.SandboxDenialInfo { Kind = d.Kind, What = d.What })];
}

/// <summary>
/// What a sandboxed command was stopped from doing, from the sandbox's own watch (<see cref="SandboxWatch"/>): each
/// path the kernel refused as read-only in the sandbox (not an owner's permission), each folder or Unix socket the
/// sandbox hides that is there outside it, and the hosts the proxy refused. Where the sandbox could not be watched (no
/// C bridge, or a kernel without seccomp user notification), the output's "Read-only file system" lines are read
/// instead, as before; the note then says so. The note tells the model what happened and that the user can allow it.
/// </summary>
public static partial class SandboxDenials
{
    private const int Most = 10;

    /// <summary>The denials of one sandboxed run: from its watch's report when it watched, else from its output.</summary>
    public static IReadOnlyList<SandboxDenial> Find(SandboxReport report, string output, IReadOnlyList<string> refusedHosts, IReadOnlyList<string> roots) =>
        report.Watched ? Find(report, refusedHosts) : Find(output, refusedHosts, roots);

    /// <summary>The denials the sandbox's watch saw, and the hosts the proxy refused; nothing the command printed counts.</summary>
    public static IReadOnlyList<SandboxDenial> Find(SandboxReport report, IReadOnlyList<string> refusedHosts)
    {
        var found = new List<SandboxDenial>();
        foreach (var seen in report.Events)
        {
            var denied = seen.Kind == SandboxEvent.Denied
                // A folder (or socket) the sandbox does not show is its refusal only when it is there outside it.
                || seen.Kind == SandboxEvent.Missing && ThereOutside(seen);
            if (denied && !found.Any(d => d.What == seen.Path)) found.Add(new SandboxDenial(SandboxDenial.Path, seen.Path));
        }
        return WithHosts(found, refusedHosts);
    }

    /// <summary>The paths found, then the hosts the proxy refused, at most <see cref="Most"/> in all.</summary>
    private static List<SandboxDenial> WithHosts(List<SandboxDenial> found, IReadOnlyList<string> refusedHosts)
    {
        foreach (var host in refusedHosts.Distinct(StringComparer.OrdinalIgnoreCase)) found.Add(new SandboxDenial(SandboxDenial.Host, host));
        return found.Count > Most ? found[..Most] : found;
    }

    private static bool ThereOutside(SandboxEvent seen)
    {
        if (!System.IO.Path.IsPathRooted(seen.Path)) return false;
        var path = System.IO.Path.GetFullPath(seen.Path);
        if (seen.Call == "connect") return File.Exists(path);
        return System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(path)) is { } folder && Directory.Exists(folder);
    }

    /// <summary>
    /// Where no watch reported (see the type): the paths the output says were refused as read-only or denied, outside
    /// the workspace. What a command prints can name any path here, which is why the watch is used wherever it runs.
    /// </summary>
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
        return WithHosts(found, refusedHosts);
    }

    /// <summary>What the model reads after the output: what was stopped, by which policy, and that only the user can widen it.</summary>
    public static string Note(SandboxPolicy policy, IReadOnlyList<SandboxDenial> denials, IReadOnlyList<string>? roots = null)
    {
        bool Inside(string path) => (roots ?? []).Any(r => path == r || path.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal));
        var what = string.Join("; ", denials.Select(d => d.Kind == SandboxDenial.Host ? $"connecting to {d.What}"
            : Inside(d.What) ? $"{d.What} (kept read-only in the workspace)" : $"{d.What} (outside the workspace)"));
        return $"[The sandbox ({policy.Describe()}) denied: {what}. Do not work around it: the user can allow it once or always for this workspace.]";
    }

    /// <summary>
    /// What the model reads about the sandbox's own folders: what the command wrote in its private /tmp or hidden home
    /// (gone now), and, when the home is hidden and the command reached for it, that it reads as empty. Null when neither.
    /// </summary>
    public static string? PrivateNote(SandboxPolicy policy, SandboxPlaces places, SandboxReport report, string command)
    {
        var notes = new List<string>();
        var written = report.Events.Where(e => e.Kind == SandboxEvent.Private).Select(e => e.Path).Distinct(StringComparer.Ordinal).ToList();
        if (written.Count > 0)
        {
            var shown = string.Join(", ", written.Take(Most)) + (written.Count > Most ? $" and {written.Count - Most} more" : "");
            notes.Add($"It wrote in the sandbox's private folders, which are emptied when each command ends, so these are gone now: {shown}. Write what must last in the workspace.");
        }
        var home = places.Home.TrimEnd('/');
        if (policy.HideHome && home.Length > 1 && (NamesTheHome().IsMatch(command) || command.Contains(home)
            || report.Events.Any(e => e.Path == home || e.Path.StartsWith(home + "/", StringComparison.Ordinal))))
            notes.Add($"The sandbox hides the home folder ({home}): what is there, such as ~/.ssh, reads as missing, and what is written there is gone when the command ends.");
        if (!report.Watched && report.Unwatched is { } why)
            notes.Add($"This sandbox could not be watched ({why}): denials are read from the output only.");
        return notes.Count == 0 ? null : $"[{string.Join(" ", notes)}]";
    }

    // The home as a word names it: ~ or ~/… (not HEAD~1, nor a ~ inside a pattern), $HOME, ${HOME}.
    [GeneratedRegex(@"(?:^|[\s=:'""(])~(?:/|$|[\s'"";)])|\$HOME\b|\$\{HOME\}", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex NamesTheHome();

    // touch: cannot touch '/etc/x': Read-only file system · bash: /etc/x: Permission denied · cat: /home/u/.plue/plue.db: No such file
    [GeneratedRegex(@"(?:'(?<quoted>/[^'\n]+)'|(?<bare>/[^:'\n]+)): (?:Read-only file system|Permission denied)", RegexOptions.CultureInvariant)]
    private static partial Regex Denied();
}
