using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Plue.Sidecar;

/// <summary>
/// Stops the sidecar when the client process dies, so a crashed editor never leaves an
/// orphan holding the store. Polls: a non-child process cannot be awaited portably.
/// </summary>
public sealed partial class ParentProcessWatcher(Action stop, ILogger<ParentProcessWatcher> logger) : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private Timer? _timer;

    public void Watch(int pid)
    {
        _timer?.Dispose();
        _timer = new Timer(_ =>
        {
            if (IsAlive(pid)) return;
            LogParentGone(pid);
            Environment.ExitCode = 1;
            stop();
        }, null, s_interval, s_interval);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client process {Pid} is gone; stopping")]
    private partial void LogParentGone(int pid);
}
