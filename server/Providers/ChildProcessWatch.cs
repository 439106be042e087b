using System.Diagnostics;
using System.Text;

namespace Plue.Providers;

/// <summary>
/// What a backend watches of its child process (the claude CLI, an ACP agent): whether it has exited, the tail of what
/// it wrote on stderr (read from the start, so a crash can say why), its exit code, and killing it with its tree.
/// </summary>
internal sealed class ChildProcessWatch
{
    private const int StderrTailChars = 4096;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public ChildProcessWatch(Process process)
    {
        _process = process;
        StderrRead = Task.Run(ReadStderrAsync);
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

    /// <summary>Ends the child now, with every process it started (tools run as its children).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
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
