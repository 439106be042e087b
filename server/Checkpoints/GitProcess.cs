using System.Diagnostics;
using System.Text;
using Plue.Processes;

namespace Plue.Checkpoints;

/// <summary>
/// One git child: the sidecar's named environment only (no GIT_DIR or GIT_INDEX_FILE of the user's leaks in, nor a
/// secret), no system config, no prompts; its own variables only when a caller sets them (a private index).
/// </summary>
internal static class GitProcess
{
    /// <summary>Whether a git can be started here; asked once.</summary>
    public static bool Available => s_available.Value;

    private static readonly Lazy<bool> s_available = new(() =>
    {
        try
        {
            using var process = Process.Start(Start(["--version"], null));
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

    /// <summary>Runs git in <paramref name="directory"/>; a failure throws naming <paramref name="where"/> with git's own message.</summary>
    public static async Task<byte[]> RunBytesAsync(string directory, IReadOnlyList<string> arguments, string where, CancellationToken cancellationToken,
        string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exit, output, error) = await TryRunAsync(directory, arguments, cancellationToken, input, environment).ConfigureAwait(false);
        if (exit != 0) throw new CheckpointException($"git {arguments[0]} failed {where}: {error.Trim()}");
        return output;
    }

    /// <summary>Runs git and returns its exit code, output and error, for callers that read a failure themselves.</summary>
    public static async Task<(int Exit, byte[] Output, string Error)> TryRunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Start(arguments, environment);
        start.WorkingDirectory = directory;
        // It joins the sidecar's process group, so it dies with the sidecar (Processes/ChildProcesses).
        using var process = Process.Start(start) ?? throw new CheckpointException(ShadowGit.NoGit);
        try
        {
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null) await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await Task.WhenAll(copy, error).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, output.ToArray(), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public static async Task<string> RunAsync(string directory, IReadOnlyList<string> arguments, string where, CancellationToken cancellationToken,
        string? input = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Encoding.UTF8.GetString(await RunBytesAsync(directory, arguments, where, cancellationToken, input, environment).ConfigureAwait(false));

    // The sidecar's own git (checkpoints in the Plue home, a task's worktree): fixed arguments, never a command the
    // agent chose, so it runs unconfined; it still starts through the one launcher.
    private static ProcessStartInfo Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment) =>
        ChildLauncher.StartInfo(new ChildCommand
        {
            Program = "git",
            Arguments = arguments,
            Environment = env =>
            {
                ChildEnvironment.Apply(env);
                // No system config, no prompts; names in output as they are.
                env["GIT_CONFIG_NOSYSTEM"] = "1";
                env["GIT_TERMINAL_PROMPT"] = "0";
                foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
            },
        });
}
