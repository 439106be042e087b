using System.Globalization;

namespace Plue.Bench;

/// <summary>
/// The performance budget `npm test` holds the sidecar to (its bench suite runs <c>scripts/bench.sh --short</c>): each
/// figure's ratio to its floor (the least that does the same job, measured interleaved in the same run) may be at most
/// its budget, plus a stated slack for a shared machine's noise; the run fails when one is over, one line per figure
/// naming the figure, its floor, the ratio and the budget. The median's ratio is what is checked: on a short run the
/// p99 is a round's worst, printed beside it to read, not to fail on. A budget only goes down: lower it when a change
/// moves its figure for good.
/// </summary>
internal static class Budgets
{
    /// <summary>One figure's budget: the table's row (its figure's start, its floor's name) and the most its ratio may be.</summary>
    /// <param name="Slack">The share of <paramref name="Ratio"/> allowed on top for noise (0.5: half again).</param>
    public sealed record Budget(string Name, string Figure, string Floor, double Ratio, double Slack)
    {
        public double Limit => Ratio * (1 + Slack);
    }

    public static readonly IReadOnlyList<Budget> All =
    [
        // A cold start is page faults and a process spawn: the quietest and the busiest runs differed by 1.5× in ratio.
        new("spawn → initialize", "spawn → initialize answered", "JSON-RPC responder, AOT", 2.0, 0.5),
        // CPU per delta is read from both processes' CPU clocks, over turns of 1,000 deltas: steady 3.2× to 3.4× on a
        // 2-core VM, where a delta is a wake-up each side and waking the client through a pipe is most of the sidecar's
        // (turns of 200 swung from 2.6× to 6.8×, a turn's own work weighing five times as much on each delta). First
        // turns read 3.5× to 3.8×: the median of two fresh processes' turns 1 and 2 counts a first turn's cold caches,
        // where one process's median of two was its second turn; half again more slack for them.
        new("CPU per delta, first turns", "chat: CPU per delta, 5 ms pace, turns 1-2", "C writer's own", 2.0, 1.5),
        new("CPU per delta, steady", "chat: CPU per delta, 5 ms pace, steady", "C writer's own", 2.0, 1.0),
        // A warm turn's first delta (the user's message stored, the history built, the request sent) against a plain
        // HttpClient's own request: 7× and 15× on two loaded runs, a short run's 8 samples.
        new("first delta, warm chat", "chat: time to first delta (warm)", "HttpClient on the fake", 8.0, 1.0),
        // Raw SQLite running the same query in the bench's process, no round trip: the page answered on the sidecar's
        // reading loop and written by its sender (ARCHITECTURE.md, A performance budget); a quarter again for noise, as
        // before, since loaded runs moved it less than the CPU figures.
        new("codex/list", "codex/list, one template and tag", "raw SQLite, same query", 2.0, 0.25),
        new("session/messages", "session/messages, latest", "raw SQLite, same query", 2.0, 0.5),
        // The executable's own pages keep it above its 2.5× target whatever the layout (ARCHITECTURE.md, Idle memory).
        new("idle memory", "resident memory, idle after 16 turns", "JSON-RPC responder, AOT", 12.0, 0.25),
        // The container rows (ContainerBench) have none yet: their floors are the engine's own, whose vfs storage copies
        // the image for every container, and a few short runs are needed to see how far they swing.
    ];

    /// <summary>Prints each budget's line and "N passed, N failed"; returns how many failed (a figure over, or not measured).</summary>
    /// <param name="names">Only these budgets (a suite that measures one figure, such as <c>list</c>); null: all.</param>
    public static int Check(IReadOnlyList<Figures.Row> rows, TextWriter output, IReadOnlyCollection<string>? names = null)
    {
        output.WriteLine();
        var failed = 0;
        var budgets = All.Where(b => names is null || names.Contains(b.Name)).ToList();
        foreach (var budget in budgets)
        {
            var row = rows.FirstOrDefault(r => r.Figure.StartsWith(budget.Figure, StringComparison.Ordinal) && r.FloorName == budget.Floor);
            var line = Line(budget, row);
            if (!line.Ok) failed++;
            output.WriteLine(line.Text);
        }
        output.WriteLine($"budget: {budgets.Count - failed} passed, {failed} failed");
        return failed;
    }

    /// <summary>A budget's line: within it or over, with the figure, its floor, both ratios and the budget.</summary>
    public static (bool Ok, string Text) Line(Budget budget, Figures.Row? row)
    {
        if (row is null || row.Plue.Count == 0 || row.Floor.Count == 0)
            return (false, $"budget: {budget.Name}: OVER: not measured (no row '{budget.Figure}' against '{budget.Floor}' in this run)");
        double Median(List<double> s) => Stats.Percentile(s, 50);
        double P99(List<double> s) => Stats.Percentile(s, 99);
        var ratio = Median(row.Plue) / Median(row.Floor);
        var ok = ratio <= budget.Limit;
        return (ok, $"budget: {budget.Name}: {(ok ? "ok" : "OVER")}: {N(Median(row.Plue))} {row.Unit} (p99 {N(P99(row.Plue))}) against {row.FloorName} " +
            $"{N(Median(row.Floor))} {row.Unit} (p99 {N(P99(row.Floor))}): {ratio:F2}× (p99 {P99(row.Plue) / P99(row.Floor):F2}×); " +
            $"budget {budget.Ratio:0.##}× + {budget.Slack * 100:F0}% slack = {budget.Limit:0.##}×, load {row.Load}");
    }

    private static string N(double value) => value.ToString(value >= 100 ? "F0" : "G3", CultureInfo.InvariantCulture);
}
