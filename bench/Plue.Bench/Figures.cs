namespace Plue.Bench;

/// <summary>
/// Each figure beside its floor, measured in the same run and interleaved (plue, floor, floor, plue, …) so the
/// machine's load falls on both alike; printed as one table with median, p90, p99, the ratio of the medians and the
/// load average while the pair was measured. The ratio is the figure: on a shared machine absolute times swing.
/// </summary>
internal sealed class Figures
{
    private readonly List<Row> _rows = [];

    /// <summary>The rows so far, in the table's order (what <see cref="Budgets"/> checks).</summary>
    public IReadOnlyList<Row> Rows => _rows;
    private readonly List<string> _notes = [];

    /// <summary>Runs <paramref name="plue"/> and <paramref name="floor"/> alternately, <paramref name="warmUp"/> unrecorded rounds first.</summary>
    public async Task CompareAsync(string figure, string unit, string floorName, int rounds, int warmUp,
        Func<Task<double>> plue, Func<Task<double>> floor, string target = "")
    {
        var (p, f) = await InterleaveAsync(rounds, warmUp, async () => new[] { await plue() }, async () => new[] { await floor() });
        Add(figure, unit, floorName, [.. p.Select(s => s[0])], [.. f.Select(s => s[0])], target);
    }

    /// <summary>
    /// Runs <paramref name="plue"/> and each floor in turn, a different one first each round, and adds a row per floor
    /// with the same plue samples: one run, one load, both floors (composite ReadyToRun and Native AOT) side by side.
    /// Returns the samples, plue's first, each round's at the same index.
    /// </summary>
    public async Task<List<List<double>>> CompareEachAsync(string figure, string unit, int rounds, int warmUp, Func<Task<double>> plue,
        IEnumerable<(string Name, Func<Task<double>> Run)> floors, string target = "")
    {
        List<(string Name, Func<Task<double>> Run)> sides = [("plue", plue), .. floors];
        var samples = sides.Select(_ => new List<double>()).ToList();
        for (var i = -warmUp; i < rounds; i++)
        {
            // Rotating who goes first keeps a machine getting busier or quieter from favouring one side.
            for (var k = 0; k < sides.Count; k++)
            {
                var side = (k + i + warmUp) % sides.Count;
                var value = await sides[side].Run();
                if (i >= 0) samples[side].Add(value);
            }
        }
        for (var f = 1; f < sides.Count; f++) Add(figure, unit, sides[f].Name, samples[0], samples[f], target);
        return samples;
    }

    /// <summary>A line printed under the table (a figure the table's columns do not hold).</summary>
    public void Note(string line) => _notes.Add(line);

    /// <summary>Samples (each several figures of one run) of both sides, alternating which goes first.</summary>
    public static async Task<(List<double[]> Plue, List<double[]> Floor)> InterleaveAsync(int rounds, int warmUp, Func<Task<double[]>> plue, Func<Task<double[]>> floor)
    {
        List<double[]> plueSamples = [], floorSamples = [];
        for (var i = -warmUp; i < rounds; i++)
        {
            // Alternating who goes first keeps a machine getting busier or quieter from favouring one side.
            var plueFirst = (i & 1) == 0;
            var a = await (plueFirst ? plue : floor)();
            var b = await (plueFirst ? floor : plue)();
            if (i < 0) continue;
            plueSamples.Add(plueFirst ? a : b);
            floorSamples.Add(plueFirst ? b : a);
        }
        return (plueSamples, floorSamples);
    }

    public void Add(string figure, string unit, string floorName, List<double> plue, List<double> floor, string target = "") =>
        _rows.Add(new Row(figure, unit, floorName, plue, floor, target, Stats.LoadAverage()));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"figure",-44} {"unit",-9} {"plue median",12} {"p90",9} {"p99",9}   {"floor",-24} {"median",9} {"p90",9} {"p99",9} {"ratio",7}  {"target",-10} load");
        foreach (var r in _rows)
        {
            output.WriteLine($"{r.Figure,-44} {r.Unit,-9} {N(P(r.Plue, 50)),12} {N(P(r.Plue, 90)),9} {N(P(r.Plue, 99)),9}   {r.FloorName,-24} " +
                $"{N(P(r.Floor, 50)),9} {N(P(r.Floor, 90)),9} {N(P(r.Floor, 99)),9} {Ratio(r),7}  {r.Target,-10} {r.Load}");
        }
        output.WriteLine($"(ratio: plue median / floor median; {_rows.Sum(r => r.Plue.Count)} plue samples; load: 1-minute load average of 2 cores, read as each figure ended)");
        foreach (var note in _notes) output.WriteLine(note);
    }

    /// <summary>The medians' ratio; none where the floor's median is 0 (an idle process's CPU in 10 ms ticks).</summary>
    private static string Ratio(Row r) => P(r.Floor, 50) is > 0 and var floor
        ? (P(r.Plue, 50) / floor).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "×" : "n/a";

    private static double P(List<double> samples, double p) => samples.Count == 0 ? double.NaN : Stats.Percentile(samples, p);

    private static string N(double value) => value >= 1000 ? value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);

    public sealed record Row(string Figure, string Unit, string FloorName, List<double> Plue, List<double> Floor, string Target, string Load);
}
