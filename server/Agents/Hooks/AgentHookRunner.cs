using System.Diagnostics;
using System.Text;
using Plue.Agents.Tools.Shell;
using Plue.Processes;
using Plue.Providers;
using Plue.Sandbox;

namespace Plue.Agents.Hooks;

/// <summary>What one hook's command did: its exit code (null when it was killed or never started), its output, cut and scrubbed.</summary>
public sealed record AgentHookRun(int? ExitCode, string Stdout, string Stderr, bool TimedOut, string? NotStarted = null)
{
    /// <summary>What the sandbox refused the hook (docs/SANDBOX.md "Denials").</summary>
    public IReadOnlyList<SandboxDenial> Denials { get; init; } = [];
}

/// <summary>
/// The one door through which an agent hook's command is started: <c>/bin/bash -c</c> (as the <c>bash</c> tool runs a
/// command) in the folder given, under the sandbox policy given (its chat's or task's: that folder writable per policy,
/// the home hidden or read-only, the Plue home never visible; the files its command names, such as a script in the
/// home, readable), in a process group of its own that dies with the sidecar, with the environment built on purpose
/// (never the sidecar's own) plus <c>CLAUDE_PROJECT_DIR</c>, the event's JSON on stdin. Past its time limit it is
/// killed with everything it started. Its output is capped and scrubbed of the credentials it was given.
/// </summary>
public sealed class AgentHookRunner(Func<IReadOnlyDictionary<string, string?>> environment)
{
    public const int MaxOutputChars = 10_000;

    private static readonly string[] s_systemFolders = ["/dev/", "/proc/", "/sys/"];

    public AgentHookRunner() : this(ChildEnvironment.Current)
    {
    }

    public async Task<AgentHookRun> RunAsync(string command, string folder, string stdin, TimeSpan limit, SandboxPolicy policy, CancellationToken cancellationToken,
        string? plueHome = null)
    {
        var grouped = ProcessGroups.Setsid is not null;
        using var proxy = ChildLauncher.Confines(policy) && policy.Network == SandboxNetwork.AllowList ? SandboxProxy.Start(policy.AllowedHosts) : null;
        using var watch = ChildLauncher.Confines(policy) && SandboxWatch.Available ? new SandboxWatch() : null;
        var start = ProcessGroup.ShellStart(command, folder, [folder], environment(), policy, proxy, NamedFiles(command), watch, plueHome: plueHome);
        // Claude Code's hooks find their scripts through it ("$CLAUDE_PROJECT_DIR"/.claude/hooks/check.sh).
        start.Environment["CLAUDE_PROJECT_DIR"] = folder;
        var secrets = new ProviderSecrets();
        secrets.Add([.. ChildEnvironment.SecretValues(start.Environment)]);

        var confined = ChildLauncher.Confines(policy);
        var redirects = confined ? SandboxPlaces.GitRedirects([folder]) : [];
        var planted = confined && policy.Files == SandboxFiles.WorkspaceWrite ? SandboxPlaces.MissingPlanted([folder], policy) : [];
        Process? process;
        try
        {
            // Through the launcher: a sandboxed hook started from a pool thread died when that thread ended (bwrap's
            // --die-with-parent follows the thread that started it).
            process = ChildLauncher.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return new AgentHookRun(null, "", "", false, e.Message);
        }
        if (process is null) return new AgentHookRun(null, "", "", false, $"{ProcessGroup.Shell} did not start");
        using var _ = process;
        var group = grouped ? process.Id : 0;
        if (grouped) ChildProcesses.Adopt(group);
        try
        {
            var stdout = ReadCappedAsync(process.StandardOutput);
            var stderr = ReadCappedAsync(process.StandardError);
            try
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The hook does not read its input: it may still run.
            }
            using var timeout = new CancellationTokenSource(limit);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ProcessGroups.KillAll(process, grouped);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }
            // What the hook left running in the background is stopped with it: a hook is a step of the turn.
            if (!await EndsWithinAsync(Task.WhenAll(stdout, stderr), TimeSpan.FromSeconds(1))) ProcessGroups.KillAll(process, grouped);
            await EndsWithinAsync(Task.WhenAll(stdout, stderr), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            string Read(Task<string> pipe) => pipe.IsCompletedSuccessfully ? secrets.Scrub(pipe.Result) : "";
            // A commondir the hook made would point the sidecar's git at config from another folder, as a bash call's would.
            var notes = confined ? SandboxPlaces.RemoveNewGitRedirects([folder], redirects) : "";
            // A .vscode or .envrc the hook made where there was none, as a bash call's.
            var removedPlanted = SandboxPlaces.RemoveNewPlanted(planted, out var removed);
            notes += removed;
            var report = watch is null ? null : await watch.EndAsync(SandboxWatch.EndWait).ConfigureAwait(false);
            IReadOnlyList<SandboxDenial> denials = !confined ? [] : report is not null ? SandboxDenials.Find(report, Read(stderr), proxy?.Denials ?? [], [folder])
                : SandboxDenials.Find(Read(stderr), proxy?.Denials ?? [], [folder]);
            return new AgentHookRun(timedOut ? null : process.ExitCode, Read(stdout), Read(stderr) + notes, timedOut) { Denials = [.. denials, .. removedPlanted] };
        }
        finally
        {
            if (grouped && ProcessGroups.HasEnded(group)) ChildProcesses.Release(group);
        }
    }

    /// <summary>
    /// The files <paramref name="command"/> names by a full path or from the home (<c>~/</c>, <c>$HOME/</c>): a hook's
    /// script kept in a hidden home (<c>~/.claude/hooks/check.sh</c>) is readable to it, and nothing else there is.
    /// </summary>
    public static IReadOnlyList<string> NamedFiles(string command)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var files = new List<string>();
        foreach (var word in command.Split([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>', '"', '\'', '`', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            var path = word;
            foreach (var prefix in new[] { "~/", "$HOME/", "${HOME}/" })
                if (home.Length > 0 && word.StartsWith(prefix, StringComparison.Ordinal)) path = Path.Combine(home, word[prefix.Length..]);
            // /dev, /proc and /sys are the sandbox's own: /dev/null is not a file to show it.
            if (Path.IsPathRooted(path) && File.Exists(path) && !s_systemFolders.Any(f => path.StartsWith(f, StringComparison.Ordinal))
                && !files.Contains(path, StringComparer.Ordinal)) files.Add(path);
        }
        return files;
    }

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan time) =>
        await Task.WhenAny(task, Task.Delay(time, CancellationToken.None)).ConfigureAwait(false) == task;

    /// <summary>The stream's text up to the cap; the rest is read and dropped so the hook never blocks on a full pipe.</summary>
    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                if (text.Length < MaxOutputChars) text.Append(buffer, 0, Math.Min(read, MaxOutputChars - text.Length));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went with the process.
        }
        return text.ToString();
    }
}
