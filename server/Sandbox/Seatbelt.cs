using System.Text;

namespace Plue.Sandbox;

/// <summary>
/// macOS's sandbox: a Seatbelt profile for <c>sandbox-exec -p</c>, made from the same <see cref="SandboxPolicy"/> and
/// <see cref="SandboxPlaces"/> as bubblewrap's arguments. Everything is readable but the home (hidden unless the policy
/// shows it) and the Plue home (always hidden); the workspace folders and the policy's paths writable under
/// workspace-write, their git controls not; the network none, the sidecar's proxy on loopback, or open. Seatbelt
/// weighs the last rule that matches, so the order below is the policy, as bubblewrap's mount order is. Its text is
/// tested here for each policy; what it lets a process do is the release's macOS job's to check (docs/SANDBOX.md).
/// </summary>
public static class Seatbelt
{
    /// <summary>The profile, or null for a policy that confines nothing.</summary>
    /// <param name="proxyPort">The loopback port of the sidecar's proxy under an allow-list; null: none reachable.</param>
    public static string? Profile(SandboxPolicy policy, SandboxPlaces places, int? proxyPort)
    {
        if (policy.IsOff) return null;
        var profile = new StringBuilder();
        profile.Append("(version 1)\n(deny default)\n");
        profile.Append("(allow process-exec process-fork signal sysctl-read mach-lookup ipc-posix-shm pseudo-tty)\n");
        profile.Append("(allow file-read*)\n");
        if (policy.HideHome && Path(places.Home) is { } home && home != "/")
        {
            profile.Append($"(deny file-read* (subpath {Quote(home)}))\n");
            // The folders above the workspace stay listable, or a program cannot find its way to it.
            foreach (var root in places.Roots.Select(Path).OfType<string>().Where(r => Under(r, home)))
                profile.Append($"(allow file-read* (subpath {Quote(root)}))\n");
        }
        var hidden = places.Hidden.Select(Path).OfType<string>().ToList();
        foreach (var path in hidden) profile.Append($"(deny file-read* file-write* (subpath {Quote(path)}))\n");
        var writable = new List<string> { "/dev/null", "/dev/tty", "/private/tmp", "/private/var/folders" };
        if (policy.Files == SandboxFiles.WorkspaceWrite) writable.AddRange(places.Roots.Concat(places.Writable).Select(Path).OfType<string>());
        writable.AddRange(policy.WritablePaths.Select(Path).OfType<string>());
        profile.Append("(allow file-write*\n");
        foreach (var path in writable.Where(p => !hidden.Any(h => Under(h, p))).Distinct(StringComparer.Ordinal))
            profile.Append(path.StartsWith("/dev/", StringComparison.Ordinal) ? $"  (literal {Quote(path)})\n" : $"  (subpath {Quote(path)})\n");
        profile.Append(")\n");
        // Last, so nothing above opens them again: each repository's config and hooks read-only.
        foreach (var root in places.Roots.Select(Path).OfType<string>())
        {
            var controls = SandboxPlaces.GitControls(root);
            if (controls.Count > 0) profile.Append($"(deny file-write* {string.Join(' ', controls.Select(c => $"(subpath {Quote(c)})"))})\n");
        }
        profile.Append(policy.Network switch
        {
            SandboxNetwork.Open => "(allow network*)\n",
            SandboxNetwork.AllowList when proxyPort is { } port => $"(allow network-outbound (remote ip \"localhost:{port}\"))\n",
            _ => "",
        });
        return profile.ToString();
    }

    /// <summary>A string of the profile's language: in double quotes, a backslash or a quote escaped.</summary>
    private static string Quote(string text) => $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private static string? Path(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path)) is { Length: > 0 } full ? full : "/";

    private static bool Under(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);
}
