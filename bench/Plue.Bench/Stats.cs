namespace Plue.Bench;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Ms(double ms) => ms < 1 ? $"{ms * 1000:F0} µs" : $"{ms:F1} ms";
}
