using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>
/// At start, marks messages left streaming by a sidecar that died as interrupted: their text
/// is kept. A message still streaming in another live window's sidecar is left alone.
/// </summary>
public sealed partial class SessionRecovery(MessageStore messages, WorkspaceContext session, ILogger<SessionRecovery> logger) : IHostedService
{
    // The store's location is known only after initialize.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.Initialized += () => _ = Task.Run(Recover, CancellationToken.None);
        return Task.CompletedTask;
    }

    public void Recover()
    {
        try
        {
            var count = messages.MarkInterrupted(IsAlive);
            if (count > 0) LogRecovered(count);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            LogRecoveryFailed(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>An owner is "pid:start ticks": the pid alone could have been reused.</summary>
    public static bool IsAlive(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !long.TryParse(parts[1], out var ticks)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime().Ticks == ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} message(s) left streaming by a stopped sidecar are marked interrupted")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for interrupted messages: {Reason}")]
    private partial void LogRecoveryFailed(string reason);
}
