using System.Text;

namespace Plue.Checkpoints;

/// <summary>
/// git run on a repository of the home's (<c>--git-dir</c>) over the workspace folder (<c>--work-tree</c>): the user's
/// own repository is never read or written. Paths are literal (no globs), and the child gets the sidecar's named
/// environment only, so no GIT_DIR or GIT_INDEX_FILE of the user's leaks in.
/// </summary>
internal sealed class ShadowGit(string gitDir, string workTree)
{
    public const string NoGit = "Checkpoints need git on PATH: install git (https://git-scm.com) and reload the window. Until then changes are not recorded.";

    public string GitDir => gitDir;
    public string WorkTree => workTree;

    /// <summary>Whether a git can be started here; asked once.</summary>
    public static bool Available => GitProcess.Available;

    /// <summary>Creates the repository on first use: no hooks, no automatic gc (snapshots are trees no ref holds), bytes as they are.</summary>
    public async Task EnsureAsync(string? exclude, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(gitDir, "HEAD"))) return;
        Directory.CreateDirectory(gitDir);
        await RunAsync(["init", "--quiet"], cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in new[] { ("gc.auto", "0"), ("core.autocrlf", "false"), ("core.quotepath", "false"), ("core.hooksPath", "/dev/null"), ("core.fsmonitor", "false") })
            await RunAsync(["config", key, value], cancellationToken).ConfigureAwait(false);
        // The home inside the workspace would otherwise snapshot the snapshots.
        if (exclude is not null) await File.WriteAllTextAsync(Path.Combine(gitDir, "info", "exclude"), "/" + exclude + "/\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs git and returns its standard output as bytes; a failure throws with git's own message.</summary>
    public async Task<byte[]> RunBytesAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        await GitProcess.RunBytesAsync(workTree, [.. await PrefixAsync().ConfigureAwait(false), .. arguments],
            "in the checkpoint store", cancellationToken, input, s_onlyItsOwnConfig).ConfigureAwait(false);

    // Only the store's own config, which the sidecar wrote in the Plue home: a global config (~/.gitconfig, which an
    // agent given a writable home can write) could name a filter or an fsmonitor that git would run outside any
    // sandbox. Snapshots keep bytes as they are, so they need none of it.
    private static readonly Dictionary<string, string> s_onlyItsOwnConfig = new() { ["GIT_CONFIG_GLOBAL"] = "/dev/null" };

    private async Task<string[]> PrefixAsync() =>
        ["--git-dir=" + gitDir, "--work-tree=" + workTree, "--literal-pathspecs", .. await UserExcludesAsync().ConfigureAwait(false)];

    /// <summary>The user's own global ignore file, if their config names one: patterns only, never a command.</summary>
    private static Task<string[]> UserExcludesAsync() => s_userExcludes.Value;

    private static readonly Lazy<Task<string[]>> s_userExcludes = new(async () =>
    {
        var (exit, output, _) = await GitProcess.TryRunAsync(Path.GetTempPath(), ["config", "--global", "--path", "--get", "core.excludesFile"], CancellationToken.None).ConfigureAwait(false);
        var file = Encoding.UTF8.GetString(output).Trim();
        return exit == 0 && file.Length > 0 ? ["-c", "core.excludesFile=" + file] : [];
    });

    /// <summary>
    /// Stages the whole work tree. A nested repository with no commit yet cannot be staged (git records one as the
    /// commit it has checked out, and fails the whole add), so one is left out of this snapshot, as an ignored folder
    /// is: an agent's <c>git init</c> in a subfolder would otherwise end every checkpoint of the workspace.
    /// </summary>
    public async Task AddAllAsync(CancellationToken cancellationToken)
    {
        var skipped = new List<string>();
        await SkipAsync(skipped, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var (exit, _, error) = await GitProcess.TryRunAsync(workTree, [.. await PrefixAsync().ConfigureAwait(false), "add", "--all"], cancellationToken, null, s_onlyItsOwnConfig).ConfigureAwait(false);
            if (exit == 0) return;
            var found = UncommittedRepositories(error).Except(skipped).ToList();
            if (found.Count == 0 || attempt == 8) throw new CheckpointException($"git add failed in the checkpoint store: {error.Trim()}");
            skipped.AddRange(found);
            await SkipAsync(skipped, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The folders git named as a nested repository with no commit checked out, from its error output.</summary>
    internal static IEnumerable<string> UncommittedRepositories(string error) =>
        System.Text.RegularExpressions.Regex.Matches(error, @"^error: '(.+)/' does not have a commit checked out$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);

    private const string SkippedMark = "# nested repositories with no commit yet, left out of this snapshot";

    /// <summary>Writes the store's ignore file as made, plus <paramref name="skipped"/>; the file is untouched when that is what it holds.</summary>
    private async Task SkipAsync(IReadOnlyList<string> skipped, CancellationToken cancellationToken)
    {
        var file = Path.Combine(gitDir, "info", "exclude");
        var current = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false) : "";
        var mark = current.IndexOf(SkippedMark, StringComparison.Ordinal);
        var own = mark < 0 ? current : current[..mark];
        // Literal paths: a folder's name may hold what an ignore pattern reads as a wildcard.
        var wanted = skipped.Count == 0 ? own : own + SkippedMark + "\n" + string.Concat(skipped.Select(p => "/" + System.Text.RegularExpressions.Regex.Replace(p, @"[\\*?\[\]!# ]", @"\$0") + "/\n"));
        if (wanted != current) await File.WriteAllTextAsync(file, wanted, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        Encoding.UTF8.GetString(await RunBytesAsync(arguments, cancellationToken, input).ConfigureAwait(false));
}
