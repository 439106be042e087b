using System.Diagnostics;

namespace Plue.Transcripts;

/// <summary>
/// Who owns something still running (a streaming message, a task's run): this process as "pid:start ticks", so a later
/// start can tell a dead owner from a live one in another window.
/// </summary>
public static class TranscriptOwner
{
    public static string Current { get; } = $"{Environment.ProcessId}:{Process.GetCurrentProcess().StartTime.ToUniversalTime().Ticks}";

    /// <summary>Whether the owner's process still runs; the pid alone could have been reused, so its start time is checked too.</summary>
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
}
