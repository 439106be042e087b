using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Engines;

/// <summary>A shell in a task's container, with a terminal: what "Open a Terminal in the Container" talks to.</summary>
public sealed partial class EngineClient
{
    /// <summary>The label every task container carries: the task's id.</summary>
    public const string TaskLabel = "plue.task";

    /// <summary>The container labelled with this task, and whether it runs; null when the engine has none.</summary>
    public async Task<(string Id, bool Running)?> FindTaskContainerAsync(string taskId, CancellationToken cancellationToken)
    {
        var found = await ListAsync(TaskLabel, taskId, cancellationToken).ConfigureAwait(false);
        // A task has one container; should a stale one linger beside it, the running one is the task's.
        var chosen = found.OrderByDescending(c => c.Running).FirstOrDefault();
        return chosen is null ? null : (chosen.Id, chosen.Running);
    }

    /// <summary>The variable that marks a terminal's shell and what it starts, so a hang-up finds them all.</summary>
    private const string TerminalMark = "PLUE_TERMINAL";

    /// <summary>
    /// Starts <paramref name="command"/> in the container with a terminal of that size, its input attached; it and its
    /// children carry <paramref name="terminalId"/> in <see cref="TerminalMark"/>.
    /// </summary>
    public async Task<EngineShell> OpenShellAsync(string containerId, IReadOnlyList<string> command, string terminalId, int cols, int rows, CancellationToken cancellationToken)
    {
        var exec = await Call(() => _docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = [.. command],
            TTY = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            Env = ["TERM=xterm-256color", $"{TerminalMark}={terminalId}"],
        }, cancellationToken), null).ConfigureAwait(false);
        var stream = await Call(() => _docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { TTY = true }, cancellationToken), null).ConfigureAwait(false);
        var shell = new EngineShell(this, containerId, terminalId, exec.ID, stream);
        await ResizeShellAsync(exec.ID, cols, rows, cancellationToken).ConfigureAwait(false);
        return shell;
    }

    /// <summary>Tells the shell's terminal its new size; a shell that has just ended is not an error.</summary>
    public async Task ResizeShellAsync(string execId, int cols, int rows, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Exec.ResizeExecTtyAsync(execId, new ContainerResizeParameters { Width = cols, Height = rows }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // The exec ended (or has not started its process yet): the next size is told with the next resize.
        }
    }

    /// <summary>
    /// Hangs up a terminal's shell and what it started, as closing a terminal does: the engine keeps an exec's process
    /// running when its connection closes, so each process carrying the terminal's mark is sent SIGHUP from inside.
    /// </summary>
    public async Task HangUpAsync(string containerId, string terminalId, CancellationToken cancellationToken)
    {
        var script = $"for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null | grep -qx '{TerminalMark}={terminalId}' && kill -HUP ${{p#/proc/}} 2>/dev/null; done; true";
        try
        {
            await ExecAsync(containerId, new ExecSpec { Command = ["/bin/sh", "-c", script] }, (_, _) => { }, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // The container is gone, and the shell with it.
        }
    }

    /// <summary>The shell's exit code, once it has ended; null when the engine no longer knows it.</summary>
    public async Task<int?> ShellExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await _docker.Exec.InspectContainerExecAsync(execId, cancellationToken).ConfigureAwait(false);
            return inspected.Running ? null : (int?)inspected.ExitCode;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}

/// <summary>A shell started in a container with a terminal: its output as it comes, its input, its size.</summary>
public sealed class EngineShell(EngineClient engine, string containerId, string terminalId, string execId, MultiplexedStream stream) : IDisposable
{
    public string ExecId => execId;

    /// <summary>Reads the terminal's output (raw bytes: a terminal's stream is not split into stdout and stderr); 0 at its end.</summary>
    public async Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
        return read.EOF ? 0 : read.Count;
    }

    public Task WriteAsync(byte[] data, CancellationToken cancellationToken) => stream.WriteAsync(data, 0, data.Length, cancellationToken);

    public Task ResizeAsync(int cols, int rows, CancellationToken cancellationToken) => engine.ResizeShellAsync(execId, cols, rows, cancellationToken);

    /// <summary>Ends the shell and what it started.</summary>
    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        stream.CloseWrite();
        await engine.HangUpAsync(containerId, terminalId, cancellationToken).ConfigureAwait(false);
    }

    public Task<int?> ExitCodeAsync(CancellationToken cancellationToken) => engine.ShellExitCodeAsync(execId, cancellationToken);

    public void Dispose() => stream.Dispose();
}
