namespace Plue.Bench;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The 1, 5 and 15 minute load averages, to read a figure against (Linux; "load unknown" elsewhere).</summary>
    public static string Load()
    {
        try
        {
            return "load " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "load unknown";
        }
    }

    /// <summary>The 1-minute load average alone (Linux; "?" elsewhere).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static string Ms(double ms) => ms < 1 ? $"{ms * 1000:F0} µs" : $"{ms:F1} ms";
}
