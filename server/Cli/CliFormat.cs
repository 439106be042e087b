using System.Globalization;

namespace Plue.Cli;

/// <summary>Figures as people read them: costs like the editor shows them (unknown is never $0), times local and short.</summary>
internal static class CliFormat
{
    /// <summary>A total: "at least" when some part's cost is unknown, "~" when a part is an estimate (a stopped reply).</summary>
    public static string Cost(decimal? usd, IReadOnlyList<Protocol.CostSource> sources) => Protocol.CostText.Of(usd, sources);

    public static string Cost(decimal? usd) => Protocol.CostText.Of(usd);

    public static string When(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Elapsed(long ms) => TimeSpan.FromMilliseconds(ms) switch
    {
        { TotalHours: >= 1 } t => $"{(int)t.TotalHours}h{t.Minutes:00}m",
        { TotalMinutes: >= 1 } t => $"{t.Minutes}m{t.Seconds:00}s",
        var t => $"{t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s",
    };
}
