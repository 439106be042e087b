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
    public static string? WorktreeGitDir(string root)
    {
        try
        {
            var dotGit = Path.Combine(root, ".git");
            if (!File.Exists(dotGit)) return null;
            var line = File.ReadLines(dotGit).FirstOrDefault() ?? "";
            if (!line.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
            var gitDir = Path.GetFullPath(line["gitdir:".Length..].Trim(), root);
            // <repo>/.git/worktrees/<name> → <repo>/.git
            var worktrees = Path.GetDirectoryName(gitDir);
            return Path.GetFileName(worktrees) == "worktrees" ? Path.GetDirectoryName(worktrees) : gitDir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
