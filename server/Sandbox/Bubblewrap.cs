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

    private static (string?, string?) Find()
    {
        if (OperatingSystem.IsWindows()) return (null, "Windows: commands the agent runs are not sandboxed (no sandbox is available there).");
        if (OperatingSystem.IsMacOS()) return (null, "macOS: commands the agent runs are not sandboxed yet (a sandbox-exec profile is planned).");
        if (!OperatingSystem.IsLinux()) return (null, "this system has no sandbox Plue can use: commands the agent runs are not sandboxed.");
        if (Environment.GetEnvironmentVariable("PLUE_SANDBOX") == "off") return (null, "PLUE_SANDBOX=off: the sandbox was turned off for this sidecar.");
        // PLUE_BWRAP names a bwrap kept elsewhere (a Nix or home install).
        var chosen = Environment.GetEnvironmentVariable("PLUE_BWRAP");
        var path = string.IsNullOrEmpty(chosen) ? s_candidates.FirstOrDefault(File.Exists) : File.Exists(chosen) ? chosen : null;
        if (path is null)
            return (null, "bubblewrap is not installed, so commands the agent runs are not sandboxed: install it (sudo apt-get install bubblewrap, sudo dnf install bubblewrap or sudo pacman -S bubblewrap) and reload the window.");
        // Installed is not working: where unprivileged user namespaces are turned off, every confined child would fail.
        return Works(path) is { } failure
            ? (null, $"bubblewrap cannot make a sandbox on this machine ({failure}), so commands the agent runs are not sandboxed: allow unprivileged user namespaces (on Ubuntu 24.04 and later, an AppArmor profile for bwrap) and reload the window.")
            : (path, null);
    }

    /// <summary>Runs bwrap once with the namespaces every policy uses; null when it worked, else its first error line.</summary>
    private static string? Works(string bwrap)
    {
        var start = new System.Diagnostics.ProcessStartInfo(bwrap)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
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
            var error = probe.StandardError.ReadToEndAsync();
            if (!probe.WaitForExit(10_000))
            {
                probe.Kill(entireProcessTree: true);
                return "it did not finish in 10 s";
            }
            var first = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
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
        args.AddRange(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]);
        if (Directory.Exists("/var/tmp")) args.AddRange(["--tmpfs", "/var/tmp"]);
        var home = Full(places.Home);
        if (policy.HideHome && home is not null && home != "/") args.AddRange(["--tmpfs", home]);
        foreach (var hidden in places.Hidden.Select(Full).OfType<string>())
        {
            if (policy.HideHome && home is not null && Under(hidden, home)) continue; // the home's tmpfs hides it already
            if (Directory.Exists(hidden)) args.AddRange(["--tmpfs", hidden]);
            else if (File.Exists(hidden)) args.AddRange(["--ro-bind", "/dev/null", hidden]);
        }
        var hiddenPaths = places.Hidden.Select(Full).OfType<string>().ToList();
        // Nothing bound back may hold what is hidden (the Plue home, the vault): a later bind would show it again.
        bool Holds(string path) => hiddenPaths.Any(h => Under(h, path));
        foreach (var path in places.ReadOnly.Select(Full).OfType<string>().Where(p => !Holds(p))) args.AddRange(["--ro-bind-try", path, path]);
        var write = policy.Files == SandboxFiles.WorkspaceWrite;
        // A root holding the Plue home (an agent with no folder open runs in it) is never bound back writable: it stays
        // hidden. Read-only, it is (a search over a workspace that holds the Plue home), the Plue home hidden again in it.
        var roots = places.Roots.Select(Full).OfType<string>().Where(r => r != "/" && !Holds(r)).ToList();
        var readOnlyHolders = write ? [] : places.Roots.Select(Full).OfType<string>().Where(r => r != "/" && Holds(r)).ToList();
        foreach (var root in roots.Concat(readOnlyHolders))
        {
            args.AddRange([write ? "--bind" : "--ro-bind", root, root]);
            // A task's worktree lives in the Plue home and commits into its source repository's .git.
            if (write && SandboxPlaces.WorktreeGitDir(root) is { } gitDir) args.AddRange(["--bind", gitDir, gitDir]);
        }
        foreach (var hidden in hiddenPaths.Where(h => readOnlyHolders.Any(r => Under(h, r))))
        {
            if (Directory.Exists(hidden)) args.AddRange(["--tmpfs", hidden]);
            else if (File.Exists(hidden)) args.AddRange(["--ro-bind", "/dev/null", hidden]);
        }
        // The policy's own writable paths (the user's, or allowed from a denial) are writable whatever its files say.
        foreach (var path in (write ? places.Writable : []).Concat(policy.WritablePaths).Select(Full).OfType<string>().Where(p => !Holds(p)))
            args.AddRange(["--bind-try", path, path]);
        // Last, so nothing above opens them again: each repository's config and hooks read-only (SandboxPlaces.GitControls).
        foreach (var root in roots)
        {
            // A .git folder bound onto itself is a mount point: it cannot be renamed away and replaced by one the agent
            // wrote. Not a .git that is a symlink out of the workspace: binding its target writable would open it.
            if (write && System.IO.Path.Combine(root, ".git") is var dotGit && Directory.Exists(dotGit) && Full(dotGit) == dotGit)
                args.AddRange(["--bind", dotGit, dotGit]);
            foreach (var control in SandboxPlaces.GitControls(root).Select(Full).OfType<string>()) args.AddRange(["--ro-bind-try", control, control]);
        }
        if (Full(workingDirectory) is { } cwd) args.AddRange(["--chdir", cwd]);
        return args;
    }

    private static string? Full(string? path)
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
