using Plue.Agents.Tools;
using Plue.Engines;
using Plue.Protocol;

namespace Plue.Agents.Containers;

/// <summary>
/// One run's container: made for the run, its folder bind-mounted at the same path, and removed when the run ends.
/// The <c>bash</c> tool runs its commands here through the engine's <c>exec</c>; the file tools work on the host's side
/// of the mount.
/// </summary>
public sealed class TaskContainer(EngineClient client, string id, string folder, string user, TaskContainerInfo info, ContainerNetwork? network = null) : IDisposable
{
    private readonly CancellationTokenSource _stopped = new();
    private int _execs;

    public string Id => id;

    /// <summary>The folder mounted in, at the same path: the commands' working folder.</summary>
    public string Folder => folder;

    /// <summary>Its network (none, the sandbox's allowed hosts through the sidecar's proxy, or the engine's); null: none.</summary>
    public ContainerNetwork? Network => network;

    /// <summary>What the tree shows of it; its state changes as it runs and ends.</summary>
    public TaskContainerInfo Info { get; set; } = info;

    /// <summary>Set when it was removed on purpose (the run ended), so its stop is not taken for a death.</summary>
    public bool Removing { get; set; }

    /// <summary>Why it was stopped under a running command (its tree's spend cap); the command's result says so.</summary>
    public string? StoppedWhy { get; private set; }

    /// <summary>Ends the command running in it now (its caller reads <paramref name="why"/>); its processes go when it is removed.</summary>
    public void Stop(string why)
    {
        StoppedWhy = why;
        _stopped.Cancel();
    }

    internal EngineClient Client => client;

    /// <summary>Who its commands run as (uid:gid).</summary>
    public string User => user;

    /// <summary>On an engine on another machine: the worktree copied in and its starting point (<see cref="ContainerBundle"/>); null when its folder is mounted.</summary>
    public ContainerCopy? Copy { get; set; }

    /// <summary>Runs a fixed sh script (its arguments $1… passed apart, never spliced in) as its user; returns its exit code, output and errors.</summary>
    public async Task<(int Exit, string Output, string Error)> ScriptAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        var exit = await client.ExecAsync(id, new ExecSpec { Command = ["/bin/sh", "-c", script, "sh", .. arguments], User = user, WorkingDir = "/", Env = Environment },
            (stream, text) => (stream == ExecStream.Stdout ? output : error).Append(text), cancellationToken).ConfigureAwait(false);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <paramref name="command"/> with the image's bash (else sh) in a process group of its own, in the mounted folder, as
    /// the container's user. Past <paramref name="timeoutMs"/> the session's every process is killed and null is
    /// returned; an interrupt ends the run, whose container is removed with them. Returns the exit code.
    /// </summary>
    public Task<int?> RunAsync(string command, int timeoutMs, Action<ExecStream, string> output, CancellationToken cancellationToken) =>
        RunAsync(command, timeoutMs, null, output, cancellationToken);

    /// <summary>The same, started through <paramref name="through"/>'s proxy (<see cref="ContainerNetwork.Start"/>) when given.</summary>
    public async Task<int?> RunAsync(string command, int timeoutMs, ContainerNetwork.Call? through, Action<ExecStream, string> output, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _stopped.Token);
        var pidFile = $"/tmp/.plue-exec-{Interlocked.Increment(ref _execs)}";
        // $0 is the command: the shell wrapper writes its pid before it becomes the command's shell. The engine starts
        // an exec's process as the leader of a process group of its own, so that pid is the group every process the
        // command starts joins (KillAsync ends them all). Not `setsid`: a group leader's setsid forks and its parent
        // exits at once, and the engine then ends the exec's output about two seconds later, the command still running.
        var wrapper = $"echo $$ > {pidFile}; if [ -x /bin/bash ]; then exec /bin/bash -c \"$0\"; else exec /bin/sh -c \"$0\"; fi";
        // Under an allow-list the bridge starts first: the proxy variables point at its listener (ContainerNetwork).
        IReadOnlyList<string> line = ["/bin/sh", "-c", wrapper, command];
        var spec = new ExecSpec { Command = through?.Wrap(line) ?? line, User = user, WorkingDir = folder, Env = Environment };
        try
        {
            return await client.ExecAsync(id, spec, output, linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (StoppedWhy is { } why && !cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(why);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await KillAsync(pidFile).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>The whole environment its commands get: nothing from the sidecar's.</summary>
    public static IReadOnlyList<string> Environment { get; } =
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TERM=dumb"];

    private async Task KillAsync(string pidFile)
    {
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ExecAsync(id, new ExecSpec { Command = ["/bin/sh", "-c", $"kill -KILL -- -$(cat {pidFile}) 2>/dev/null; kill -KILL $(cat {pidFile}) 2>/dev/null; true"], User = user },
                (_, _) => { }, within.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            // The container is gone already (the task was cancelled): so are its processes.
        }
    }

    public void Dispose()
    {
        client.Dispose();
        network?.Dispose();
        _stopped.Dispose();
    }
}

/// <summary>A worktree copied into a container on another machine: where it is (the same path as here), and the commit it started from.</summary>
public sealed record ContainerCopy(Checkpoints.TaskWorktree Worktree, string Start);
