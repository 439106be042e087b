using System.Diagnostics;
using System.Text;

namespace Plue.Providers;

/// <summary>
/// What a backend watches of its child process (the claude CLI, an ACP agent): whether it has exited, the tail of what
/// it wrote on stderr (read from the start, so a crash can say why), its exit code, and killing it with its tree.
/// Started as a process group's leader (<paramref name="grouped"/>), what it started dies with it, even when it was
/// killed from outside and left them orphaned (the claude CLI an ACP agent ran, a Bash tool's command).
/// </summary>
internal sealed class ChildProcessWatch
{
    private const int StderrTailChars = 4096;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly bool _grouped;

    public ChildProcessWatch(Process process, bool grouped = false)
    {
        _process = process;
        _grouped = grouped;
        StderrRead = Task.Run(ReadStderrAsync);
        if (!grouped) return;
        var group = process.Id;
        Processes.ChildProcesses.Adopt(group); // killed with the sidecar, even by SIGKILL
        _ = process.WaitForExitAsync().ContinueWith(_ =>
        {
            Processes.ProcessGroups.Kill(group);
            if (Processes.ProcessGroups.HasEnded(group)) Processes.ChildProcesses.Release(group);
        }, TaskScheduler.Default);
    }

    /// <summary>Ends when the child's stderr closes.</summary>
    public Task StderrRead { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public string StderrTail
    {
        get
        {
            lock (_stderr) return _stderr.ToString().Trim();
        }
    }

    /// <summary>The exit code once the process has ended (waits briefly for it), else null.</summary>
    public async Task<int?> ExitCodeAsync()
    {
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            await StderrRead.WaitAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Ends the child now, with every process it started (tools run as its children, or in its group).</summary>
    public void Kill()
    {
        Processes.ProcessGroups.KillAll(_process, _grouped);
    }

    private async Task ReadStderrAsync()
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, read);
                    if (_stderr.Length > StderrTailChars) _stderr.Remove(0, _stderr.Length - StderrTailChars);
                }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process died.
        }
    }
}
