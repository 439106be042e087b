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
        await GitProcess.RunBytesAsync(workTree, ["--git-dir=" + gitDir, "--work-tree=" + workTree, "--literal-pathspecs", .. await UserExcludesAsync().ConfigureAwait(false), .. arguments],
            "in the checkpoint store", cancellationToken, input, s_onlyItsOwnConfig).ConfigureAwait(false);

    // Only the store's own config, which the sidecar wrote in the Plue home: a global config (~/.gitconfig, which an
    // agent given a writable home can write) could name a filter or an fsmonitor that git would run outside any
    // sandbox. Snapshots keep bytes as they are, so they need none of it.
    private static readonly Dictionary<string, string> s_onlyItsOwnConfig = new() { ["GIT_CONFIG_GLOBAL"] = "/dev/null" };

    /// <summary>The user's own global ignore file, if their config names one: patterns only, never a command.</summary>
    private static Task<string[]> UserExcludesAsync() => s_userExcludes.Value;

    private static readonly Lazy<Task<string[]>> s_userExcludes = new(async () =>
    {
        var (exit, output, _) = await GitProcess.TryRunAsync(Path.GetTempPath(), ["config", "--global", "--path", "--get", "core.excludesFile"], CancellationToken.None).ConfigureAwait(false);
        var file = Encoding.UTF8.GetString(output).Trim();
        return exit == 0 && file.Length > 0 ? ["-c", "core.excludesFile=" + file] : [];
    });

    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        Encoding.UTF8.GetString(await RunBytesAsync(arguments, cancellationToken, input).ConfigureAwait(false));
}
