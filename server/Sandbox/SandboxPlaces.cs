using System.Text;

namespace Plue.Sandbox;

/// <summary>
/// The paths a sandboxed child is given: <see cref="Roots"/> (the workspace folders or the task's worktree, writable
/// under workspace-write), what it must never see (<see cref="Hidden"/>: the Plue home and the vault), and what one kind
/// of child needs besides (the CLI's launch files read-only, its own config folder writable).
/// </summary>
public sealed record SandboxPlaces
{
    public IReadOnlyList<string> Roots { get; init; } = [];
    public IReadOnlyList<string> Hidden { get; init; } = [];
    public IReadOnlyList<string> ReadOnly { get; init; } = [];
    public IReadOnlyList<string> Writable { get; init; } = [];
    /// <summary>The user's home, hidden or read-only per policy.</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>
    /// The agents' own sign-in files (their OAuth tokens), credential stores like the others: an agent Plue hosts keeps
    /// its own (<see cref="SignIn"/>), every other child sees none.
    /// </summary>
    public static IReadOnlyList<string> AgentSignIns { get; } =
        [".claude/.credentials.json", ".codex/auth.json", ".gemini/oauth_creds.json", ".config/github-copilot", ".local/share/opencode/auth.json"];

    /// <summary>
    /// The variables that move an agent's own folder out of the home (the Claude Code CLI's <c>CLAUDE_CONFIG_DIR</c>,
    /// Codex's <c>CODEX_HOME</c>), each with the folder of the home it stands for.
    /// </summary>
    private static readonly (string Variable, string StandsFor)[] s_agentFolderVariables = [("CLAUDE_CONFIG_DIR", ".claude"), ("CODEX_HOME", ".codex")];

    /// <summary>
    /// The agents' own folders the sidecar's variables put elsewhere (<c>CLAUDE_CONFIG_DIR=/srv/claude</c>), with the
    /// home folder each stands for: its sign-in file is a credential store and its settings and hooks are planted, as in
    /// the home folder. Read from the sidecar's environment when the places are made.
    /// </summary>
    public IReadOnlyList<(string Folder, string StandsFor)> MovedAgentFolders { get; init; } = MovedFromHome();

    private static List<(string Folder, string StandsFor)> MovedFromHome() => MovedFrom(Environment.GetEnvironmentVariable);

    /// <summary>The agents' folders <paramref name="variable"/> (the environment's) moves out of the home.</summary>
    public static List<(string Folder, string StandsFor)> MovedFrom(Func<string, string?> variable)
    {
        var moved = new List<(string, string)>();
        foreach (var (name, standsFor) in s_agentFolderVariables)
            if (variable(name) is { Length: > 1 } folder && Path.IsPathRooted(folder))
                moved.Add((Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), standsFor));
        return moved;
    }

    /// <summary>
    /// The sign-in files in <see cref="MovedAgentFolders"/> (full paths), each with the store of <see cref="AgentSignIns"/>
    /// it stands for (<c>.claude/.credentials.json</c>): hidden from every child but the agent that keeps that store.
    /// </summary>
    public IEnumerable<(string Path, string Store)> MovedSignIns() =>
        MovedAgentFolders.SelectMany(m => AgentSignIns.Where(s => s.StartsWith(m.StandsFor + "/", StringComparison.Ordinal))
            .Select(s => (Path.Combine(m.Folder, s[(m.StandsFor.Length + 1)..]), s)));

    /// <summary>
    /// The home's credential stores (relative to it): hidden from every sandboxed child, whatever its command names and
    /// even where the home is readable to it, unless its policy opens one by name (<see cref="SandboxPolicy.Credentials"/>).
    /// docs/SANDBOX.md lists the same.
    /// </summary>
    public static IReadOnlyList<string> CredentialStores { get; } =
    [
        ".ssh", ".gnupg", ".aws", ".config/gcloud", ".azure", ".kube", ".docker/config.json", ".netrc", ".git-credentials",
        ".config/gh", ".npmrc", ".pypirc", ".cargo/credentials.toml", ".password-store", ".local/share/keyrings", ".pki",
        ".mozilla", ".config/google-chrome", ".config/chromium", ".config/BraveSoftware", ".config/microsoft-edge", ".thunderbird",
        .. AgentSignIns,
    ];

    /// <summary>
    /// The credential stores (of <see cref="CredentialStores"/>) this child signs in with itself and so keeps as they are,
    /// writable where its folder is (a refreshed token is written back): the Claude Code CLI's <c>.credentials.json</c>.
    /// </summary>
    public IReadOnlyList<string> SignIn { get; init; } = [];

    /// <summary>Whether <paramref name="name"/> (<c>~/.aws</c>, <c>.aws</c> or <c>&lt;home&gt;/.aws</c>) names <paramref name="store"/>.</summary>
    public static bool Names(string name, string store, string home)
    {
        var trimmed = name.Trim().TrimEnd('/');
        if (trimmed.StartsWith("~/", StringComparison.Ordinal)) trimmed = trimmed[2..];
        else if (home.Length > 1 && trimmed.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal)) trimmed = trimmed[(home.TrimEnd('/').Length + 1)..];
        return trimmed == store;
    }

    /// <summary>
    /// The folders that hold the doors to the user's session and the system's services: <c>/run</c> (the system bus, the
    /// Docker socket, <c>/run/user/&lt;uid&gt;</c>), <c>/var/run</c> where it is not a link to it, and the runtime folder
    /// (<c>XDG_RUNTIME_DIR</c>: the session bus, the gpg and ssh agents, VS Code's own sockets) where it lies elsewhere.
    /// </summary>
    public static IReadOnlyList<string> Doors()
    {
        var doors = new List<string>();
        foreach (var door in new[] { "/run", "/var/run", Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") })
            if (door is { Length: > 1 } && Path.IsPathRooted(door) && Directory.Exists(door)) doors.Add(door);
        return doors;
    }

    /// <summary>
    /// The Unix sockets listening on a path in this network namespace (<c>/proc/net/unix</c>; abstract ones, named
    /// <c>@…</c>, belong to the namespace and are closed by a network namespace of its own).
    /// </summary>
    public static IReadOnlyList<string> ListeningSockets()
    {
        var found = new List<string>();
        try
        {
            foreach (var line in File.ReadLines("/proc/net/unix").Skip(1))
            {
                // Num RefCount Protocol Flags Type St Inode Path: the path is what follows the seventh field.
                var fields = line.Split(' ', 8, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 8 && fields[7].StartsWith('/') && !found.Contains(fields[7], StringComparer.Ordinal)) found.Add(fields[7]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc here: /run and the runtime folder are hidden all the same.
        }
        return found;
    }

    /// <summary>
    /// In a workspace folder, what another program runs later without a sandbox (VS Code's tasks and settings, the
    /// agents' settings and hooks, direnv's <c>.envrc</c>, GitHub's hooks): read-only to every sandboxed child unless the
    /// policy names it writable. Folders are read-only whole: a file the agent adds there would run as well.
    /// </summary>
    public static IReadOnlyList<string> PlantedInWorkspace { get; } = [".vscode", ".claude", ".codex", ".cursor", ".mcp.json", ".envrc", ".github/hooks"];

    /// <summary>
    /// The folders of the home where the agents Plue knows keep their user-level setup (the same folders as the user
    /// layouts of the customizations room, which a test holds equal: the sandbox may not use that room).
    /// </summary>
    public static IReadOnlyList<string> AgentHomeFolders { get; } = [".claude", ".codex", ".gemini", ".agents", ".copilot", ".config/opencode", ".cursor"];

    /// <summary>
    /// In an agent's own folder of the home (<c>~/.claude</c>, <c>~/.codex</c>, … of <see cref="AgentHomeFolders"/>),
    /// which its CLI may write: its settings, hooks, commands, agents, skills and MCP configuration stay read-only.
    /// </summary>
    private static readonly string[] s_plantedInAgentFolder =
        ["settings.json", "settings.local.json", "hooks", "hooks.json", "commands", "command", "agents", "skills", "plugins", "prompts",
         "config.toml", "config.json", "opencode.json", "mcp.json", "CLAUDE.md", "AGENTS.md", "GEMINI.md"];

    /// <summary>
    /// What of <paramref name="writable"/> (a workspace folder, an agent's config folder) stays read-only under
    /// workspace-write, whether it exists or not: the workspace's <see cref="PlantedInWorkspace"/>, and in each agent
    /// folder of <paramref name="home"/> (or <paramref name="moved"/> out of it: <see cref="MovedAgentFolders"/>) it holds or is, that
    /// folder's settings and hooks.
    /// </summary>
    public static IEnumerable<string> Planted(string writable, string? home, IEnumerable<string>? moved = null)
    {
        foreach (var name in PlantedInWorkspace) yield return Path.Combine(writable, name);
        var inHome = string.IsNullOrEmpty(home) ? [] : AgentHomeFolders.Select(f => Path.Combine(home, f));
        foreach (var folder in inHome.Concat(moved ?? []))
            if (Inside(folder, writable) || Inside(writable, folder))
                foreach (var name in s_plantedInAgentFolder)
                    if (Path.Combine(folder, name) is var control && Inside(control, writable)) yield return control;
    }

    /// <summary>
    /// The planted place <paramref name="path"/> lies in (<c>&lt;ws&gt;/.vscode</c> for <c>&lt;ws&gt;/.vscode/tasks.json</c>),
    /// or null: what "Allow once" must make writable for a refused write there, whether it exists yet or not.
    /// </summary>
    public static string? PlantedPlace(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
            foreach (var name in PlantedInWorkspace)
                if (name.Split('/') is var words && i + words.Length <= parts.Length && parts.AsSpan(i, words.Length).SequenceEqual(words))
                    return string.Join('/', parts[..(i + words.Length)]);
        return null;
    }

    private static bool Inside(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>
    /// The planted places of <paramref name="roots"/> that do not exist yet: bwrap cannot bind one read-only without
    /// leaving an empty file or folder in its place, so <see cref="RemoveNewPlanted"/> takes away what a command made there.
    /// </summary>
    public static HashSet<string> MissingPlanted(IEnumerable<string> roots, SandboxPolicy policy) =>
        [.. roots.SelectMany(r => PlantedInWorkspace.Select(n => Path.Combine(r, n)))
            .Where(p => !Exists(p) && !policy.WritablePaths.Any(w => Inside(w, p)))];

    /// <summary>
    /// Every planted place a child under <paramref name="policy"/> over <paramref name="places"/> could write that does
    /// not exist yet (a workspace's <c>.envrc</c> or <c>.mcp.json</c>, an agent folder's missing <c>hooks</c>), by its
    /// real path, unless the policy names it writable: what the watch refuses a long-running child, since bwrap cannot
    /// bind what is not there and removing what the child made when it ends could take what the user wrote meanwhile.
    /// </summary>
    public static IReadOnlyList<string> MissingPlanted(SandboxPolicy policy, SandboxPlaces places)
    {
        if (policy.Files != SandboxFiles.WorkspaceWrite) return [];
        var home = places.Home is { Length: > 0 } h ? RealPath(h) : null;
        return [.. places.Roots.Concat(places.Writable).Concat(policy.WritablePaths).Where(p => p.Length > 0).Select(RealPath).Distinct(StringComparer.Ordinal)
            .SelectMany(w => Planted(w, home, places.MovedAgentFolders.Select(m => RealPath(m.Folder)))).Distinct(StringComparer.Ordinal)
            .Where(p => !Exists(p) && !policy.WritablePaths.Any(w => Inside(w, p)))];
    }

    /// <summary>The path with every link on the way resolved, as the bridge compares the paths the sandbox resolves.</summary>
    private static string RealPath(string path) => Bubblewrap.Full(path) ?? path;

    /// <summary>
    /// Removes each of <paramref name="missing"/> a command made (a file, or a folder with what it holds) and returns
    /// them, as denials; <paramref name="said"/> gets a line for the command's output per path removed.
    /// </summary>
    public static IReadOnlyList<SandboxDenial> RemoveNewPlanted(HashSet<string> missing, out string said)
    {
        var removed = new List<SandboxDenial>();
        var text = new StringBuilder();
        foreach (var path in missing.Where(Exists).Order(StringComparer.Ordinal))
        {
            try
            {
                if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
                else File.Delete(path);
                removed.Add(new SandboxDenial(SandboxDenial.Path, path));
                text.Append($"\n[The sandbox removed {path}: another program would run what it holds outside the sandbox. The user can allow it.]");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left as it is: said nowhere, as a commondir that cannot be removed.
            }
        }
        said = text.ToString();
        return removed;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>
    /// These roots, the Plue home (and with it the vault and plue.db) hidden: <paramref name="plueHome"/>, the host's
    /// (<see cref="SandboxContext.PlueHome"/>), or where none is known the one PLUE_HOME or ~/.plue names.
    /// </summary>
    public static SandboxPlaces For(IEnumerable<string> roots, string? plueHome) => new()
    {
        Roots = [.. roots.Where(r => r.Length > 0)],
        Hidden = [plueHome ?? Workspace.PlueHome.Resolve(null)],
    };

    /// <summary>
    /// The source repository's <c>.git</c> folder of a git worktree <paramref name="root"/> (its <c>.git</c> file says
    /// <c>gitdir: &lt;repo&gt;/.git/worktrees/&lt;name&gt;</c>): a task's worktree commits there, so it must be writable.
    /// </summary>
    public static string? WorktreeGitDir(string root) => LinkedGitDir(root) is { } gitDir ? CommonDir(gitDir) : null;

    /// <summary>
    /// What of <paramref name="root"/>'s repository stays read-only under workspace-write: the files git reads commands
    /// from (<c>config</c>, <c>config.worktree</c>, <c>hooks</c>; for a task's worktree also the <c>.git</c> file and
    /// its <c>commondir</c> and <c>gitdir</c>, which say where that config is). The sidecar's own git runs in this
    /// repository unconfined, so an agent that wrote them would run commands outside the sandbox. Objects, refs and the
    /// index stay writable: the agent can still commit.
    /// </summary>
    public static IReadOnlyList<string> GitControls(string root)
    {
        var dotGit = Path.Combine(root, ".git");
        // A .git folder's own commondir (git reads its config from the folder that file names) read-only when there is
        // one, with that folder's config and hooks.
        if (Directory.Exists(dotGit)) return [.. Controls(dotGit), Path.Combine(dotGit, "commondir"), .. CommonDir(dotGit) is var common && common != dotGit ? Controls(common) : []];
        if (LinkedGitDir(root) is not { } gitDir) return [];
        return [dotGit, Path.Combine(gitDir, "commondir"), Path.Combine(gitDir, "gitdir"), Path.Combine(gitDir, "config.worktree"), .. Controls(CommonDir(gitDir))];
    }

    /// <summary>
    /// The <c>commondir</c> files in the <c>.git</c> folders of <paramref name="roots"/>. One that is there is bound
    /// read-only (<see cref="GitControls"/>); one a command makes where there was none cannot be (bwrap would leave an
    /// empty file in its place, which git refuses), so <see cref="RemoveNewGitRedirects"/> takes it away after.
    /// </summary>
    public static HashSet<string> GitRedirects(IEnumerable<string> roots) =>
        [.. roots.Select(r => Path.Combine(r, ".git", "commondir")).Where(p => Directory.Exists(Path.GetDirectoryName(p)) && new FileInfo(p) is var f && (f.Exists || f.LinkTarget is not null))];

    /// <summary>
    /// Removes each <c>commondir</c> in the <c>.git</c> folders of <paramref name="roots"/> that was not among
    /// <paramref name="before"/>: git would read that repository's config (commands it runs) from the folder it names,
    /// outside what the sandbox binds read-only. Returns a line for the command's output per path removed ("" for none).
    /// </summary>
    public static string RemoveNewGitRedirects(IEnumerable<string> roots, HashSet<string> before)
    {
        var said = new StringBuilder();
        foreach (var path in GitRedirects(roots).Where(p => !before.Contains(p)))
        {
            try
            {
                File.Delete(path);
                said.Append($"\n[The sandbox removed {path}: with it git would read the repository's config, hooks included, from another folder.]");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left: git then reads it as the command meant; nothing this sidecar runs follows its config's commands.
            }
        }
        return said.ToString();
    }

    private static IEnumerable<string> Controls(string gitDir) =>
        new[] { "config", "config.worktree", "hooks" }.Select(name => Path.Combine(gitDir, name));

    /// <summary>A git worktree's own git folder (its <c>.git</c> file says <c>gitdir: &lt;repo&gt;/.git/worktrees/&lt;name&gt;</c>), or null.</summary>
    private static string? LinkedGitDir(string root)
    {
        try
        {
            var dotGit = Path.Combine(root, ".git");
            if (!File.Exists(dotGit)) return null;
            var line = File.ReadLines(dotGit).FirstOrDefault() ?? "";
            return line.StartsWith("gitdir:", StringComparison.Ordinal) ? Path.GetFullPath(line["gitdir:".Length..].Trim(), root) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where git reads <paramref name="gitDir"/>'s config, objects and refs from: the folder its <c>commondir</c> file
    /// names (relative to it), as git does; without one, <c>&lt;repo&gt;/.git/worktrees/&lt;name&gt;</c> → <c>&lt;repo&gt;/.git</c>.
    /// </summary>
    private static string CommonDir(string gitDir)
    {
        var named = Path.Combine(gitDir, "commondir");
        try
        {
            // Read as a regular file only (a FIFO put there would hang the sidecar), bounded as git's own paths are.
            if (new FileInfo(named) is { Exists: true, Length: < 4096 } file && file.LinkTarget is null
                && File.ReadLines(named).FirstOrDefault()?.Trim() is { Length: > 0 } line)
                return Path.TrimEndingDirectorySeparator(Path.GetFullPath(line, gitDir));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: git cannot read it either.
        }
        var worktrees = Path.GetDirectoryName(gitDir);
        return Path.GetFileName(worktrees) == "worktrees" ? Path.GetDirectoryName(worktrees) ?? gitDir : gitDir;
    }
}
