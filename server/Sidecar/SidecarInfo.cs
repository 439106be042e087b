using System.Diagnostics;

namespace Plue.Sidecar;

/// <summary>Facts about this process that never change while it runs; <c>Version</c> is generated from the project's (Plue.Server.csproj).</summary>
public static partial class SidecarInfo
{
    private static readonly long s_startTimestamp = Stopwatch.GetTimestamp();

    public static TimeSpan Uptime => Stopwatch.GetElapsedTime(s_startTimestamp);
}
