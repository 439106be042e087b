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
        string? input = null, IReadOnlyDictionary<string, string>? environment = null, GitSandbox? sandbox = null)
    {
        var (exit, output, error) = await TryRunAsync(directory, arguments, cancellationToken, input, environment, sandbox).ConfigureAwait(false);
        if (exit != 0) throw new CheckpointException($"git {(CommandAt(arguments) is var at and >= 0 ? arguments[at] : arguments[0])} failed {where}: {error.Trim()}");
        return output;
    }

    /// <summary>Runs git and returns its exit code, output and error, for callers that read a failure themselves.</summary>
    public static async Task<(int Exit, byte[] Output, string Error)> TryRunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        string? input = null, IReadOnlyDictionary<string, string>? environment = null, GitSandbox? sandbox = null)
    {
        var command = CommandAt(arguments);
        // The lookup sees the same repository (a --git-dir before the command).
        var drivers = command >= 0 && !s_treeOnly.Contains(arguments[command])
            ? await RepositoryDriversAsync(directory, arguments.Take(command), cancellationToken).ConfigureAwait(false) : [];
        return await RunOnceAsync(directory, [.. s_noCommands, .. drivers, .. arguments], cancellationToken, input, environment, sandbox).ConfigureAwait(false);
    }

    // A repository's config is the agent's to write where it is not sandboxed (a repository made before the sandbox, a
    // `git init` it ran): git run here must never start a command that config names. Hooks and the fsmonitor always
    // (callers that diff also pass --no-ext-diff --no-textconv); filter and merge drivers in RepositoryDriversAsync.
    private static readonly string[] s_noCommands = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"];

    // The commands that read only objects, never a file through a filter: every other may (even write-tree refreshes
    // the index through the clean filter), so it gets the drivers emptied.
    private static readonly HashSet<string> s_treeOnly = ["cat-file", "config", "diff-tree", "ls-tree", "rev-parse"];

    /// <summary>Where git's command (add, diff…) is among <paramref name="arguments"/>, after its own options; -1 when none.</summary>
    private static int CommandAt(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "-c") i++;
            else if (!arguments[i].StartsWith('-')) return i;
        }
        return -1;
    }

    /// <summary>
    /// Arguments that empty every filter driver the repository's own config (or a file it includes) defines (an empty
    /// command is no command, and a filter that is not required is simply not applied) and turn its merge drivers into
    /// git's text merge. Drivers of the user's global config (git-lfs) are the user's and stay.
    /// </summary>
    private static async Task<List<string>> RepositoryDriversAsync(string directory, IEnumerable<string> options, CancellationToken cancellationToken)
    {
        // Unconfined: reading config runs no command (no hook, fsmonitor or filter), and a sandbox would double each call's cost.
        var (exit, output, _) = await RunOnceAsync(directory, [.. options, "config", "--show-scope", "--get-regexp", @"^(filter|merge)\."], cancellationToken, null, null, null).ConfigureAwait(false);
        var arguments = new List<string>();
        if (exit != 0) return arguments; // none set, or no repository here
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 2);
            if (parts.Length < 2 || parts[0] is not ("local" or "worktree")) continue;
            var key = parts[1].Split(' ', 2)[0];
            // <section>.<name>.<key>; a name may hold dots.
            var (first, last) = (key.IndexOf('.', StringComparison.Ordinal), key.LastIndexOf('.'));
            if (last <= first) continue;
            var (section, name) = (key[..first], key[(first + 1)..last]);
            if (!seen.Add(section + "." + name)) continue;
            string[] emptied = section == "filter" ? ["clean=", "smudge=", "process=", "required=false"] : [TextMerge];
            foreach (var setting in emptied) arguments.AddRange(["-c", $"{section}.{name}.{setting}"]);
        }
        return arguments;
    }

    // A merge driver cannot be unset from the command line: it becomes git's own text merge, as when none is named.
    private const string TextMerge = "driver=git merge-file -L ours -L base -L theirs --marker-size=%L %A %O %B";

    private static async Task<(int Exit, byte[] Output, string Error)> RunOnceAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        string? input, IReadOnlyDictionary<string, string>? environment, GitSandbox? sandbox)
    {
        var start = Start(arguments, environment, directory, sandbox);
        // It joins the sidecar's process group, so it dies with the sidecar (Processes/ChildProcesses); sandboxed, from
        // the launcher's thread (bwrap dies with the thread that started it).
        using var process = ChildLauncher.Start(start) ?? throw new CheckpointException(ShadowGit.NoGit);
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
        string? input = null, IReadOnlyDictionary<string, string>? environment = null, GitSandbox? sandbox = null) =>
        Encoding.UTF8.GetString(await RunBytesAsync(directory, arguments, where, cancellationToken, input, environment, sandbox).ConfigureAwait(false));

    // The sidecar's own git. For a chat or task (a task's worktree) it runs in a sandbox of its own (GitSandbox): only
    // the places it must write are writable, no network, the Plue home hidden but for them. Without one (the
    // availability probe, checkpoints, start-up cleanup of worktrees whose task is gone) it runs unconfined: fixed
    // arguments, never a command the agent chose, and s_noCommands keeps the repository's config from choosing one.
    private static ProcessStartInfo Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment,
        string? directory = null, GitSandbox? sandbox = null)
    {
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = "git",
            Arguments = arguments,
            WorkingDirectory = directory,
            Environment = env =>
            {
                ChildEnvironment.Apply(env);
                // No system config, no prompts; names in output as they are.
                env["GIT_CONFIG_NOSYSTEM"] = "1";
                env["GIT_TERMINAL_PROMPT"] = "0";
                foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
            },
            Policy = sandbox?.Policy.Writing ?? Sandbox.SandboxPolicy.Off,
            Places = sandbox is null ? new() : Sandbox.SandboxPlaces.For(sandbox.Writable, sandbox.PlueHome) with { ReadOnly = [.. sandbox.Readable ?? [], .. GlobalConfig()] },
        });
        return start;
    }

    /// <summary>The user's own git config (name, e-mail, global ignores, git-lfs): readable under a hidden home.</summary>
    private static string[] GlobalConfig()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } set ? set : Path.Combine(home, ".config");
        return [Path.Combine(home, ".gitconfig"), Path.Combine(xdg, "git")];
    }
}

/// <summary>
/// The sandbox of the sidecar's git working for a chat or task under <paramref name="Policy"/>: <paramref name="Writable"/>
/// (a task's folder in the Plue home, its repository's git folder) writable, every other place as the policy shows it
/// read-only or hidden (<see cref="Sandbox.SandboxPolicy.Writing"/>), <paramref name="Readable"/> (the repository it
/// reads, under a hidden home) read-only, <paramref name="PlueHome"/> hidden but for them. A worktree's repository's config and hooks stay read-only.
/// </summary>
internal sealed record GitSandbox(Sandbox.SandboxPolicy Policy, IReadOnlyList<string> Writable, IReadOnlyList<string>? Readable = null, string? PlueHome = null);
