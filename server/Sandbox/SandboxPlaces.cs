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

    /// <summary>The Plue home (and with it the vault and plue.db), hidden from every sandboxed child; set once it is known.</summary>
    public static string? PlueHome
    {
        get => s_plueHome ?? Workspace.PlueHome.Resolve(null);
        set => s_plueHome = value;
    }

    private static string? s_plueHome;

    /// <summary>These roots, the Plue home hidden.</summary>
    public static SandboxPlaces For(IEnumerable<string> roots) => new()
    {
        Roots = [.. roots.Where(r => r.Length > 0)],
        Hidden = PlueHome is { } home ? [home] : [],
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
