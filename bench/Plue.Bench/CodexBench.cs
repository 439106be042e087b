using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Codex.Automation;
using Plue.Codex.Content;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Workspace;
using Plue.Store;

namespace Plue.Bench;

/// <summary>Loading every shipped template, and listing among 5,000 codices by template and tag, on a real SQLite file.</summary>
internal static class CodexBench
{
    private const int Records = 5000;
    private const int Runs = 200;

    public static void Run(string repoRoot)
    {
        MeasureJson5();

        var home = Directory.CreateTempSubdirectory("plue-bench-codex-").FullName;
        var session = new WorkspaceContext();
        session.Initialize(home);
        // The repo's templates/ folder is exactly what ships beside the sidecar.
        var roots = new ContentRoots(session, repoRoot);

        var shipped = Directory.GetFiles(Path.Combine(repoRoot, "templates"), "*.json5").Length;
        var loads = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var clock = Stopwatch.StartNew();
            using var registry = new TemplateRegistry(roots, NullLogger<TemplateRegistry>.Instance);
            var set = registry.Load();
            loads.Add(clock.Elapsed.TotalMilliseconds);
            if (set.Templates.Count != shipped) throw new InvalidOperationException($"loaded {set.Templates.Count} of the {shipped} shipped templates");
        }
        Console.WriteLine($"load all {shipped} shipped templates: first {Stats.Ms(loads[0])}, then median {Stats.Ms(Stats.Percentile(loads.Skip(1).ToList(), 50))}");

        using var templates = new TemplateRegistry(roots, NullLogger<TemplateRegistry>.Instance);
        var service = new CodexService(new CodexRepository(new Database(Path.Combine(home, "plue.db"))), templates, new HookEngine([], NullLogger<HookEngine>.Instance));
        var kinds = new[] { "task", "task-code-writer", "task-docs-writer", "task-orchestrator" };
        var fill = Stopwatch.StartNew();
        for (var i = 0; i < Records; i++)
        {
            service.Create(new CodexDraft
            {
                TemplateId = kinds[i % kinds.Length],
                Title = $"Task {i}",
                Fields = new() { ["goal"] = $"Goal number {i}" },
                Tags = i % 3 == 0 ? ["backend", "urgent"] : ["frontend"],
            });
        }
        Console.WriteLine($"created {Records} codices in {fill.Elapsed.TotalSeconds:F1} s ({fill.Elapsed.TotalMilliseconds / Records:F2} ms each, validated, with history)");

        Measure(service, "template task-code-writer + tag backend, first page of 50", new CodexQuery { TemplateIds = ["task-code-writer"], Tags = ["backend"] });
        Measure(service, "template task (with descendants) + tag urgent, first page of 50", new CodexQuery { TemplateIds = ["task"], Tags = ["urgent"] });
        Measure(service, "template task-code-writer + tag frontend, all in one page", new CodexQuery { TemplateIds = ["task-code-writer"], Tags = ["frontend"], Limit = 1000 });
        Directory.Delete(home, recursive: true);
    }

    private static void MeasureJson5()
    {
        var text = OneMegabyte();
        var parse = new List<double>();
        var withPositions = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var clock = Stopwatch.StartNew();
            var doc = Plue.Codex.Json5.Json5Parser.Parse(text);
            var parsed = clock.Elapsed.TotalMilliseconds;
            _ = doc.Positions.Count;
            if (i < 20) continue; // JIT and tiering warm-up: steady state is what a long-lived sidecar sees
            parse.Add(parsed);
            withPositions.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"JSON5 parse of {text.Length / 1e6:F1} MB: median {Stats.Ms(Stats.Percentile(parse, 50))}, with positions {Stats.Ms(Stats.Percentile(withPositions, 50))}");
    }

    /// <summary>A ~1 MB template-like document mixing every construct.</summary>
    private static string OneMegabyte()
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

    private static void Measure(CodexService service, string what, CodexQuery query)
    {
        var times = new List<double>();
        var count = 0;
        for (var i = 0; i < Runs + 10; i++)
        {
            var clock = Stopwatch.StartNew();
            count = service.List(query).Items.Count;
            if (i >= 10) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"list {what}: {count} items, median {Stats.Ms(Stats.Percentile(times, 50))}, p99 {Stats.Ms(Stats.Percentile(times, 99))}");
    }
}
