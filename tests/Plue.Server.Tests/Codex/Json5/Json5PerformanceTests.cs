using System.Diagnostics;
using System.Text;
using Plue.Codex.Json5;
using Xunit.Abstractions;

namespace Plue.Tests.Codex.Json5;

public class Json5PerformanceTests(ITestOutputHelper output)
{
    /// <summary>A ~1 MB template-like document mixing every construct.</summary>
    internal static string OneMegabyte()
    {
        var builder = new StringBuilder("// generated\n{\n  items: [\n");
        for (int i = 0; builder.Length < 1_000_000; i++)
        {
            builder.Append("    {\n")
                .Append("      id: ").Append(i).Append(", // unquoted key\n")
                .Append("      \"name\": 'item \\'").Append(i).Append("\\' \\u00e9\\n',\n")
                .Append("      tags: ['alpha', \"beta\", 'gam\\\nma',],\n")
                .Append("      ratio: ").Append(i).Append(".25e-1, hex: 0xFF, neg: -.5, inf: +Infinity,\n")
                .Append("      /* block */ nested: { ok: true, none: null, deep: [[1, 2], [3]] },\n")
                .Append("    },\n");
        }
        return builder.Append("  ],\n}\n").ToString();
    }

    [Fact]
    public void Parse_OneMegabyte_IsFast()
    {
        string text = OneMegabyte();
        _ = Json5Parser.Parse(text).Positions.Count; // warm up (JIT, tiering)

        const int runs = 5;
        double bestParse = double.MaxValue, bestWithPositions = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var doc = Json5Parser.Parse(text);
            bestParse = Math.Min(bestParse, watch.Elapsed.TotalMilliseconds);
            Assert.NotNull(doc.Root);

            watch.Restart();
            doc = Json5Parser.Parse(text);
            Assert.True(doc.Positions.Count > 70_000);
            bestWithPositions = Math.Min(bestWithPositions, watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{text.Length:N0} chars: parse best {bestParse:F1} ms, parse + Positions best {bestWithPositions:F1} ms (of {runs})");
        // Generous bounds so a busy CI box (or a Debug build) does not flake; they still catch
        // accidental quadratic behaviour, which would take seconds here.
        Assert.True(bestParse < 500, $"1 MB parse took {bestParse:F1} ms");
        Assert.True(bestWithPositions < 1000, $"1 MB parse + Positions took {bestWithPositions:F1} ms");
    }

    [Fact]
    public void Parse_ManyDuplicateKeys_StaysLinear()
    {
        // {k0:{},...,kN:{}, k0:{},...,kN:{}}: each duplicate must not rescan the document.
        var builder = new StringBuilder("{");
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < 30_000; i++)
                builder.Append('k').Append(i).Append(":{a:[1]},");
        }
        string text = builder.Append('}').ToString();

        var watch = Stopwatch.StartNew();
        var doc = Json5Parser.Parse(text);
        watch.Stop();

        Assert.Equal(30_000, doc.Root!.AsObject().Count);
        Assert.Equal(1 + (30_000 * 3), doc.Positions.Count);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
