namespace Plue.Sandbox;

/// <summary>
/// Linux's sandbox: bubblewrap (<c>bwrap</c>, Debian's <c>bubblewrap</c>) started in front of a child. The whole of
/// <c>/</c> is bound read-only, then the places a policy opens are bound over it: a later mount wins over an earlier
/// one, so the order below is the policy (home hidden, then the Plue home hidden, then the workspace bound back).
/// </summary>
public static class Bubblewrap
{
    private static readonly string[] s_candidates = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"];

    /// <summary>Found and tried once, at the first child or status that asks: never on the way to <c>initialize</c>.</summary>
    private static readonly Lazy<(string? Path, string? Missing)> s_found = new(Find);

    /// <summary>bwrap's path on Linux when it can make a sandbox here, or null (not Linux, not installed, not working, or <c>PLUE_SANDBOX=off</c>).</summary>
    public static string? Executable => s_found.Value.Path;

    /// <summary>Why children run unconfined here, in the user's words with what to do; null when bwrap works.</summary>
    public static string? Missing => s_found.Value.Missing;

    /// <summary>
    /// The exact commands that let bwrap work here, when the system has a known narrow fix: on Ubuntu 23.10 and later
    /// (24.04 LTS), where AppArmor keeps unprivileged programs from making user namespaces, a profile that lets bwrap
    /// alone make them (Ubuntu's advice, not turning the restriction off for every program). Null otherwise.
    /// </summary>
    public static string? Fix => s_found.Value.Path is null && OperatingSystem.IsLinux() && AppArmorRestrictsUserNamespaces() ? AppArmorFix(BwrapPath()) : null;

    /// <summary>
    /// Where the restriction is on: <c>kernel.apparmor_restrict_unprivileged_userns = 1</c>. <c>PLUE_APPARMOR_USERNS_FILE</c>
    /// names another file to read it from, so the Ubuntu case (its card, <c>plue status</c>'s commands) can be seen on
    /// any machine, with <c>PLUE_BWRAP</c> naming a bwrap that fails as it does there.
    /// </summary>
    public static bool AppArmorRestrictsUserNamespaces()
    {
        try
        {
            var setting = Environment.GetEnvironmentVariable("PLUE_APPARMOR_USERNS_FILE");
            return File.ReadAllText(string.IsNullOrEmpty(setting) ? "/proc/sys/kernel/apparmor_restrict_unprivileged_userns" : setting).Trim() == "1";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The AppArmor profile that lets <paramref name="bwrap"/> make user namespaces, and the commands that load it.</summary>
    public static string AppArmorFix(string bwrap) => $$"""
        sudo tee /etc/apparmor.d/bwrap > /dev/null <<'EOF'
        abi <abi/4.0>,
        include <tunables/global>

        profile bwrap {{bwrap}} flags=(unconfined) {
          userns,

          include if exists <local/bwrap>
        }
        EOF
        sudo apparmor_parser -r /etc/apparmor.d/bwrap
        """;

    private static string BwrapPath()
    {
        var chosen = Environment.GetEnvironmentVariable("PLUE_BWRAP");
        return string.IsNullOrEmpty(chosen) ? s_candidates.FirstOrDefault(File.Exists) ?? "/usr/bin/bwrap" : chosen;
    }

    /// <summary>
    /// The system whose sandbox the sidecar looks for: the one it runs on, or the one <c>PLUE_SANDBOX_PLATFORM</c> names
    /// (<c>windows</c>), so that another system's wording can be seen here (the Windows card's E2E starts the real sidecar
    /// on Linux with it). The one place the platform is chosen; what follows from it is the product's own logic.
    /// </summary>
    internal static string Platform =>
        Environment.GetEnvironmentVariable("PLUE_SANDBOX_PLATFORM") is { Length: > 0 } chosen ? chosen
        : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsLinux() ? "linux" : "other";

    /// <summary>Why commands are not sandboxed on Windows, and how to get isolation there.</summary>
    public const string WindowsUnconfined = "Windows has no sandbox Plue can use, so commands the agent runs are not sandboxed: for isolation, run the task in a container (start Docker Desktop; docs/CONTAINERS.md) or open the folder in WSL, where Linux's sandbox works.";

    private static (string?, string?) Find()
    {
        var platform = Platform;
        if (platform == "windows") return (null, WindowsUnconfined);
        // macOS confines through sandbox-exec (Seatbelt); this is said only where it cannot.
        if (platform == "macos") return (null, Environment.GetEnvironmentVariable("PLUE_SANDBOX") == "off"
            ? "PLUE_SANDBOX=off: the sandbox was turned off for this sidecar."
            : "macOS: sandbox-exec was not found, so commands the agent runs are not sandboxed; docs/SANDBOX.md says how to get isolation.");
        if (platform != "linux") return (null, "this system has no sandbox Plue can use: commands the agent runs are not sandboxed.");
        if (Environment.GetEnvironmentVariable("PLUE_SANDBOX") == "off") return (null, "PLUE_SANDBOX=off: the sandbox was turned off for this sidecar.");
        // PLUE_BWRAP names a bwrap kept elsewhere (a Nix or home install).
        var chosen = Environment.GetEnvironmentVariable("PLUE_BWRAP");
        var path = string.IsNullOrEmpty(chosen) ? s_candidates.FirstOrDefault(File.Exists) : File.Exists(chosen) ? chosen : null;
        if (path is null)
            return (null, "bubblewrap is not installed, so commands the agent runs are not sandboxed: install it (sudo apt-get install bubblewrap, sudo dnf install bubblewrap or sudo pacman -S bubblewrap) and reload the window.");
        // Installed is not working: where unprivileged user namespaces are turned off, every confined child would fail.
        if (Works(path) is not { } failure) return (path, null);
        return AppArmorRestrictsUserNamespaces()
            ? (null, $"bubblewrap cannot make a sandbox on this machine ({failure}): AppArmor keeps programs from making user namespaces (Ubuntu 23.10 and later), so commands the agent runs are not sandboxed. Let bwrap alone make them with an AppArmor profile (`plue status` prints the commands; docs/SANDBOX.md) and reload the window.")
            : (null, $"bubblewrap cannot make a sandbox on this machine ({failure}), so commands the agent runs are not sandboxed: allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 where that setting exists) and reload the window.");
    }

    /// <summary>Runs bwrap once with the namespaces every policy uses; null when it worked, else its first error line.</summary>
    private static string? Works(string bwrap)
    {
        var start = new System.Diagnostics.ProcessStartInfo(bwrap)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        // An environment built on purpose: the probe needs none of the sidecar's.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var arg in new[] { "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--", File.Exists("/bin/true") ? "/bin/true" : "/usr/bin/true" })
            start.ArgumentList.Add(arg);
        try
        {
            using var probe = System.Diagnostics.Process.Start(start)!;
            if (!probe.WaitForExit(10_000))
            {
                probe.Kill(entireProcessTree: true);
                return "it did not finish in 10 s";
            }
            // Read on this thread once it has ended (its few lines fit the pipe): an async read would complete on a
            // socket thread, which may be this one, waiting (Rpc/SocketThread).
            var first = probe.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return probe.ExitCode == 0 ? null : first is { Length: > 0 } ? first[..Math.Min(first.Length, 200)] : $"it exited with {probe.ExitCode}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>bwrap's arguments (before <c>--</c> and the command) for <paramref name="policy"/> over <paramref name="places"/>.</summary>
    public static List<string> Arguments(SandboxPolicy policy, SandboxPlaces places, string? workingDirectory)
    {
        var args = new List<string> { "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try" };
        // A network namespace of its own with only loopback: no network, or an allow-list whose only way out is the
        // sidecar's proxy, handed a listener in that loopback (ChildLauncher, SandboxBridge).
        if (policy.Network != SandboxNetwork.Open) args.Add("--unshare-net");
        // The host's network, and with it the abstract sockets the policy names (AbstractSockets closes the others).
        else if (AbstractSockets.Named(policy)) args.Add(AbstractSockets.SharedFlag);
        args.AddRange(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]);
        if (Directory.Exists("/var/tmp")) args.AddRange(["--tmpfs", "/var/tmp"]);
        var hiddenPlaces = new List<string> { "/tmp", "/var/tmp" };
        // The doors to the user's session and the system's services (/run, the runtime folder): empty folders.
        foreach (var door in SandboxPlaces.Doors().Select(Full).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (hiddenPlaces.Any(h => Under(door, h))) continue;
            args.AddRange(["--tmpfs", door]);
            hiddenPlaces.Add(door);
            if (door == "/run") args.AddRange(KeptInRun());
        }
        var home = Full(places.Home);
        if (policy.HideHome && home is not null && home != "/")
        {
            args.AddRange(["--tmpfs", home]);
            hiddenPlaces.Add(home);
        }
        // Not inside a hidden home: its tmpfs hides them already.
        foreach (var hidden in places.Hidden.Select(Full).OfType<string>().Where(h => !(policy.HideHome && home is not null && Under(h, home)))) Cover(args, hidden);
        var hiddenPaths = places.Hidden.Select(Full).OfType<string>().ToList();
        // The home's credential stores the policy does not open: never shown, whatever a command names.
        var stores = home is null || home == "/" ? [] : SandboxPlaces.CredentialStores.Where(c => !policy.Credentials.Any(n => SandboxPlaces.Names(n, c, home)) && !places.SignIn.Contains(c))
            .Select(c => System.IO.Path.Combine(home, c)).ToList();
        // An agent's sign-in moved out of the home (CLAUDE_CONFIG_DIR): hidden as in the home, wherever it lies.
        var moved = places.MovedSignIns().Where(m => !places.SignIn.Contains(m.Store) && !(home is not null && policy.Credentials.Any(n => SandboxPlaces.Names(n, m.Store, home))))
            .Select(m => Full(m.Path)).OfType<string>().Where(p => !stores.Contains(p)).ToList();
        stores.AddRange(moved);
        // Nothing bound back may hold what is hidden (the Plue home, the vault): a later bind would show it again; nor
        // lie inside it (a file a hook or an MCP server names there) or inside a credential store.
        bool Holds(string path) => hiddenPaths.Any(h => Under(h, path));
        bool Closed(string path) => Holds(path) || hiddenPaths.Any(h => Under(path, h)) || stores.Any(c => Under(path, c));
        var bound = new List<string>();
        foreach (var path in places.ReadOnly.Select(Full).OfType<string>().Where(p => !Closed(p)))
        {
            args.AddRange(["--ro-bind-try", path, path]);
            bound.Add(path);
        }
        var write = policy.Files == SandboxFiles.WorkspaceWrite;
        // A root holding the Plue home (an agent with no folder open runs in it) is never bound back writable: it stays
        // hidden. Read-only, it is (a search over a workspace that holds the Plue home), the Plue home hidden again in it.
        var roots = places.Roots.Select(Full).OfType<string>().Where(r => r != "/" && !Holds(r)).ToList();
        var readOnlyHolders = write ? [] : places.Roots.Select(Full).OfType<string>().Where(r => r != "/" && Holds(r)).ToList();
        foreach (var root in roots.Concat(readOnlyHolders))
        {
            args.AddRange([write ? "--bind" : "--ro-bind", root, root]);
            bound.Add(root);
            // A task's worktree lives in the Plue home and commits into its source repository's .git.
            if (write && SandboxPlaces.WorktreeGitDir(root) is { } gitDir) args.AddRange(["--bind", gitDir, gitDir]);
        }
        foreach (var hidden in hiddenPaths.Where(h => readOnlyHolders.Any(r => Under(h, r)))) Cover(args, hidden);
        // The policy's own writable paths (the user's, or allowed from a denial) are writable whatever its files say.
        foreach (var path in (write ? places.Writable : []).Concat(policy.WritablePaths).Select(Full).OfType<string>().Where(p => !Closed(p)))
        {
            args.AddRange(["--bind-try", path, path]);
            bound.Add(path);
        }
        CoverStores(args, policy, home, [.. stores.Except(moved)], bound, Holds);
        foreach (var store in moved.Where(m => !hiddenPlaces.Any(h => Under(m, h)) || bound.Any(b => Under(m, b)))) Cover(args, store);
        // Every other Unix socket listening outside the workspace and the places hidden above (one in a readable home,
        // /var/lib, a folder bound back) is covered, unless the policy names it; those it names are bound back.
        var sockets = policy.Sockets.Where(s => !s.StartsWith('@')).Select(Full).OfType<string>().ToList();
        foreach (var socket in SandboxPlaces.ListeningSockets())
        {
            if (sockets.Contains(socket, StringComparer.Ordinal) || roots.Any(r => Under(socket, r)) || stores.Any(c => Under(socket, c)) || !File.Exists(socket)) continue;
            if (hiddenPlaces.Any(h => Under(socket, h)) && !bound.Any(b => Under(socket, b))) continue;
            args.AddRange(["--ro-bind", "/dev/null", socket]);
        }
        foreach (var socket in sockets.Where(p => !Closed(p))) args.AddRange(["--bind-try", socket, socket]);
        LockPlanted(args, policy, places, roots, home, write, Closed);
        if (Full(workingDirectory) is { } cwd) args.AddRange(["--chdir", cwd]);
        return args;
    }

    /// <summary>A hidden place: an empty folder over a folder, the null device over a file; nothing where there is neither.</summary>
    private static void Cover(List<string> args, string path)
    {
        if (Directory.Exists(path)) args.AddRange(["--tmpfs", path]);
        else if (File.Exists(path)) args.AddRange(["--ro-bind", "/dev/null", path]);
    }

    /// <summary>The stores the policy opens, read-only (a hidden home shows them again); those it does not, hidden again where
    /// the home is readable or something bound holds them (a workspace that is the home).</summary>
    private static void CoverStores(List<string> args, SandboxPolicy policy, string? home, List<string> stores, List<string> bound, Func<string, bool> holds)
    {
        if (home is not null && home != "/")
        {
            foreach (var store in SandboxPlaces.CredentialStores.Where(c => policy.Credentials.Any(n => SandboxPlaces.Names(n, c, home))).Select(c => System.IO.Path.Combine(home, c)))
                if (!holds(store)) args.AddRange(["--ro-bind-try", store, store]);
            foreach (var store in stores.Where(c => !policy.HideHome || bound.Any(b => Under(c, b)))) Cover(args, store);
        }
    }

    /// <summary>Last, so nothing before opens them again: each repository's config and hooks read-only (SandboxPlaces.GitControls),
    /// and what another program runs later without a sandbox, wherever the child may write.</summary>
    private static void LockPlanted(List<string> args, SandboxPolicy policy, SandboxPlaces places, List<string> roots, string? home, bool write, Func<string, bool> closed)
    {
        foreach (var root in roots)
        {
            // A .git folder bound onto itself is a mount point: it cannot be renamed away and replaced by one the agent
            // wrote. Not a .git that is a symlink out of the workspace: binding its target writable would open it.
            if (write && System.IO.Path.Combine(root, ".git") is var dotGit && Directory.Exists(dotGit) && Full(dotGit) == dotGit)
                args.AddRange(["--bind", dotGit, dotGit]);
            foreach (var control in SandboxPlaces.GitControls(root).Select(Full).OfType<string>()) args.AddRange(["--ro-bind-try", control, control]);
        }
        // What another program runs later without a sandbox, wherever this child may write, read-only unless the policy
        // names it (or a path in it) writable: a workspace's .vscode, .envrc, agents' settings; an agent folder's hooks.
        var writable = (write ? roots : []).Concat(write ? places.Writable : []).Concat(policy.WritablePaths).Select(Full).OfType<string>().Where(p => !closed(p)).ToList();
        var allowed = policy.WritablePaths.Select(Full).OfType<string>().ToList();
        var moved = places.MovedAgentFolders.Select(m => Full(m.Folder)).OfType<string>().ToList();
        foreach (var planted in writable.SelectMany(w => SandboxPlaces.Planted(w, home, moved)).Distinct(StringComparer.Ordinal))
            // A link (.vscode leading to another folder) is bound where it leads: that is what a write through it changes.
            if ((File.Exists(planted) || Directory.Exists(planted)) && !allowed.Any(a => Under(a, planted)) && Full(planted) is { } real && !closed(real))
                args.AddRange(["--ro-bind", real, real]);
    }

    /// <summary>
    /// What of <c>/run</c> is kept over its empty folder: its links (NixOS keeps its programs behind
    /// <c>/run/current-system</c>) and the name server list <c>/etc/resolv.conf</c> leads to (systemd-resolved's), never a socket.
    /// </summary>
    private static IEnumerable<string> KeptInRun()
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo("/run").EnumerateFileSystemInfos()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entries = [];
        }
        foreach (var link in entries.Where(e => e.LinkTarget is not null))
        {
            yield return "--symlink";
            yield return link.LinkTarget!;
            yield return link.FullName;
        }
        if (Full("/etc/resolv.conf") is { } names && names.StartsWith("/run/", StringComparison.Ordinal) && File.Exists(names))
        {
            yield return "--ro-bind-try";
            yield return names;
            yield return names;
        }
    }

    internal static string? Full(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        var full = Real(System.IO.Path.GetFullPath(path));
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    /// <summary>The path with every symlink on the way resolved: bwrap cannot make a mount point under a symlink.</summary>
    private static string Real(string path)
    {
        var current = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = System.IO.Path.Combine(current, part);
            for (var hops = 0; hops < 40 && new FileInfo(next).LinkTarget is { } target; hops++)
                next = System.IO.Path.GetFullPath(target, System.IO.Path.GetDirectoryName(next) ?? "/");
            current = next;
        }
        return current;
    }

    private static bool Under(string path, string folder) =>
        path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
}
