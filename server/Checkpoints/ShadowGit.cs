using System.Diagnostics;
using System.Text;
using Plue.Processes;

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
    public static bool Available => s_available.Value;

    private static readonly Lazy<bool> s_available = new(() =>
    {
        try
        {
            using var process = Process.Start(Start(["--version"]));
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

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
    public async Task<byte[]> RunBytesAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null)
    {
        var start = Start(["--git-dir=" + gitDir, "--work-tree=" + workTree, "--literal-pathspecs", .. arguments]);
        start.WorkingDirectory = workTree;
        // It joins the sidecar's process group, so it dies with the sidecar (Processes/ChildProcesses).
        using var process = Process.Start(start) ?? throw new CheckpointException(NoGit);
        try
        {
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null) await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await Task.WhenAll(copy, error).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0) throw new CheckpointException($"git {arguments[0]} failed in the checkpoint store: {(await error.ConfigureAwait(false)).Trim()}");
            return output.ToArray();
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        Encoding.UTF8.GetString(await RunBytesAsync(arguments, cancellationToken, input).ConfigureAwait(false));

    private static ProcessStartInfo Start(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        ChildEnvironment.Apply(start.Environment);
        // No system config, no prompts; names in output as they are.
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        return start;
    }
}
