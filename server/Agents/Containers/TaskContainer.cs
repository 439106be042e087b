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
    private readonly CancellationTokenSource _ended = new();
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
    public Task<int?> RunAsync(string command, int timeoutMs, ContainerNetwork.Call? through, Action<ExecStream, string> output, CancellationToken cancellationToken) =>
        RunAsync(command, timeoutMs, through, output, stdin: null, [], cancellationToken);

    /// <summary>
    /// An agent hook's command, run as a <c>bash</c> call is (its own process group, in the mounted folder, as the
    /// container's user, with its environment and <c>CLAUDE_PROJECT_DIR</c>), the event's JSON on its stdin. Past
    /// <paramref name="limit"/> it is killed with everything it started and the exit code is null.
    /// </summary>
    public async Task<(int? Exit, string Stdout, string Stderr)> HookAsync(string command, string stdin, TimeSpan limit, Sandbox.SandboxPolicy policy, int maxChars,
        CancellationToken cancellationToken)
    {
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var gate = new Lock();
        using var through = network?.Start(policy);
        var exit = await RunAsync(command, (int)Math.Min(limit.TotalMilliseconds, int.MaxValue), through, (stream, text) =>
        {
            lock (gate)
            {
                var into = stream == ExecStream.Stdout ? stdout : stderr;
                if (into.Length < maxChars) into.Append(text.AsSpan(0, Math.Min(text.Length, maxChars - into.Length)));
            }
        }, stdin, [$"CLAUDE_PROJECT_DIR={folder}"], cancellationToken).ConfigureAwait(false);
        lock (gate) return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<int?> RunAsync(string command, int timeoutMs, ContainerNetwork.Call? through, Action<ExecStream, string> output, string? stdin,
        IReadOnlyList<string> env, CancellationToken cancellationToken)
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
        var spec = new ExecSpec { Command = through?.Wrap(line) ?? line, User = user, WorkingDir = folder, Env = [.. Environment, .. env], Stdin = stdin };
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

    /// <summary>
    /// Starts a long-lived command (an MCP server on stdio) in its own process group, as its user, in
    /// <paramref name="workingDir"/>, with the container's environment and <paramref name="env"/>; its streams are the
    /// pipe's. Disposing what is returned closes its input and kills what is left of its group.
    /// </summary>
    public async Task<ContainerProcess> StartAsync(IReadOnlyList<string> command, IReadOnlyList<string> env, string workingDir, ContainerNetwork.Call? through,
        CancellationToken cancellationToken)
    {
        var pidFile = $"/tmp/.plue-exec-{Interlocked.Increment(ref _execs)}";
        // As RunAsync's wrapper: the pid written, then the command itself in its place (its arguments passed apart).
        IReadOnlyList<string> line = ["/bin/sh", "-c", $"echo $$ > {pidFile}; exec \"$@\"", "sh", .. command];
        var spec = new ExecSpec { Command = through?.Wrap(line) ?? line, User = user, WorkingDir = workingDir, Env = [.. Environment, .. env] };
        var pipe = await client.OpenPipeAsync(id, spec, cancellationToken).ConfigureAwait(false);
        return new ContainerProcess(pipe, () => KillAsync(pidFile), through);
    }

    /// <summary>Ended with the run: what was started in it (its MCP servers) is stopped when this is cancelled.</summary>
    public CancellationToken Ended => _ended.Token;

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
        _ended.Cancel(); // not disposed: a server started as it ends still registers its stop
        client.Dispose();
        network?.Dispose();
        _stopped.Dispose();
    }
}

/// <summary>A worktree copied into a container on another machine: where it is (the same path as here), and the commit it started from.</summary>
public sealed record ContainerCopy(Checkpoints.TaskWorktree Worktree, string Start);

/// <summary>A long-lived command started in a container: its streams, and its end (input closed, its group killed).</summary>
public sealed class ContainerProcess(EnginePipe pipe, Func<Task> kill, IDisposable? through) : IAsyncDisposable
{
    public EnginePipe Pipe => pipe;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            await kill().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Its container's run ended first: the container, and its processes, are gone with it.
        }
        finally
        {
            through?.Dispose();
        }
    }
}
