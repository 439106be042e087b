using System.Diagnostics;

namespace Plue.Sidecar;

/// <summary>Facts about this process that never change while it runs; <c>Version</c> is generated from the project's (Plue.Server.csproj).</summary>
public static partial class SidecarInfo
{
    private static long s_startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>
    /// Counts the uptime from now; Main calls it first. Nothing else reads this class before the first status, so
    /// without it the clock would start at the first status and report an uptime of 0.
    /// </summary>
    public static void MarkStart() => s_startTimestamp = Stopwatch.GetTimestamp();

    public static TimeSpan Uptime => Stopwatch.GetElapsedTime(s_startTimestamp);
}
