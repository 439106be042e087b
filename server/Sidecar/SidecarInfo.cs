using System.Diagnostics;
using System.Reflection;

namespace Plue.Sidecar;

/// <summary>Facts about this process that never change while it runs.</summary>
public static class SidecarInfo
{
    private static readonly long s_startTimestamp = Stopwatch.GetTimestamp();

    public static string Version { get; } =
        typeof(SidecarInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static TimeSpan Uptime => Stopwatch.GetElapsedTime(s_startTimestamp);
}
