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
    /// <summary><c>sandbox-exec</c> on macOS (every macOS has it), or null: elsewhere, or <c>PLUE_SANDBOX=off</c>.</summary>
    public static string? Executable { get; } =
        OperatingSystem.IsMacOS() && Environment.GetEnvironmentVariable("PLUE_SANDBOX") != "off" && File.Exists("/usr/bin/sandbox-exec") ? "/usr/bin/sandbox-exec" : null;

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
            // What the child is made of (its program, the files its command line names), as bwrap binds them back.
            // Never a credential store's (those the policy opens are readable with the home only).
            var stores = SandboxPlaces.CredentialStores.Select(c => System.IO.Path.Combine(home, c)).ToList();
            foreach (var made in places.ReadOnly.Select(Path).OfType<string>().Where(r => Under(r, home) && !stores.Any(c => Under(r, c) || Under(c, r))).Distinct(StringComparer.Ordinal))
                profile.Append($"(allow file-read* (subpath {Quote(made)}))\n");
        }
        var hidden = places.Hidden.Select(Path).OfType<string>().ToList();
        foreach (var path in hidden) profile.Append($"(deny file-read* file-write* (subpath {Quote(path)}))\n");
        // The home's credential stores, where the home is readable, unless the policy opens one or the child signs in with it.
        if (!policy.HideHome && Path(places.Home) is { } shown && shown != "/")
            foreach (var store in SandboxPlaces.CredentialStores.Where(c => !policy.Credentials.Any(n => SandboxPlaces.Names(n, c, shown)) && !places.SignIn.Contains(c)))
                profile.Append($"(deny file-read* file-write* (subpath {Quote(System.IO.Path.Combine(shown, store))}))\n");
        // An agent's sign-in moved out of the home (CLAUDE_CONFIG_DIR), hidden wherever it lies unless the child signs in with it.
        foreach (var (moved, store) in places.MovedSignIns().Where(m => !places.SignIn.Contains(m.Store)))
            profile.Append($"(deny file-read* file-write* (subpath {Quote(moved)}))\n");
        var writable = new List<string> { "/dev/null", "/dev/tty", "/private/tmp", "/private/var/folders" };
        // Nothing in the Plue home but a task's worktree (a root there) is ever opened again, whatever a policy names.
        bool Inside(string path) => hidden.Any(h => Under(path, h));
        if (policy.Files == SandboxFiles.WorkspaceWrite)
            writable.AddRange(places.Roots.Select(Path).OfType<string>().Concat(places.Writable.Select(Path).OfType<string>().Where(p => !Inside(p))));
        writable.AddRange(policy.WritablePaths.Select(Path).OfType<string>().Where(p => !Inside(p)));
        profile.Append("(allow file-write*\n");
        foreach (var path in writable.Where(p => !hidden.Any(h => Under(h, p))).Distinct(StringComparer.Ordinal))
            profile.Append(path.StartsWith("/dev/", StringComparison.Ordinal) ? $"  (literal {Quote(path)})\n" : $"  (subpath {Quote(path)})\n");
        profile.Append(")\n");
        // Last, so nothing above opens them again: each repository's config and hooks read-only, and what another
        // program runs later (a workspace's .vscode, an agent folder's settings), whether it exists yet or not.
        foreach (var root in places.Roots.Select(Path).OfType<string>())
        {
            var controls = SandboxPlaces.GitControls(root);
            if (controls.Count > 0) profile.Append($"(deny file-write* {string.Join(' ', controls.Select(c => $"(subpath {Quote(c)})"))})\n");
        }
        if (policy.Files == SandboxFiles.WorkspaceWrite)
        {
            var allowed = policy.WritablePaths.Select(Path).OfType<string>().ToList();
            var planted = places.Roots.Concat(places.Writable).Concat(policy.WritablePaths).Select(Path).OfType<string>()
                .SelectMany(w => SandboxPlaces.Planted(w, Path(places.Home), places.MovedAgentFolders.Select(m => m.Folder))).Distinct(StringComparer.Ordinal)
                .Where(p => !allowed.Any(a => Under(a, p))).ToList();
            if (planted.Count > 0) profile.Append($"(deny file-write* {string.Join(' ', planted.Select(p => $"(subpath {Quote(p)})"))})\n");
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
