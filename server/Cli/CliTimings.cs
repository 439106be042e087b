using System.Diagnostics;

namespace Plue.Cli;

/// <summary>
/// With <c>PLUE_TIMINGS=1</c>, the milliseconds since the process started at each step of a command's start (runtime,
/// parsing, the sidecar's host, initialize, the first token), on stderr: where a cold start's time goes, measured.
/// </summary>
internal static class CliTimings
{
    private static readonly bool s_on = Environment.GetEnvironmentVariable("PLUE_TIMINGS") == "1";
    private static readonly HashSet<string> s_told = [];

    /// <summary>Tells <paramref name="step"/> the first time it is reached.</summary>
    public static void Mark(string step)
    {
        if (!s_on) return;
        lock (s_told)
        {
            if (!s_told.Add(step)) return;
        }
        var since = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.Error.WriteLine($"plue timings: {since.TotalMilliseconds,6:F0} ms  {step}");
    }
}
