using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Codex.Automation;
using Plue.Codex.Content;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Sidecar;
using Plue.Store;

namespace Plue.Bench;

/// <summary>Loading every shipped template, and listing among 5,000 codices by template and tag, on a real SQLite file.</summary>
internal static class CodexBench
{
    private const int Records = 5000;
    private const int Runs = 200;

    public static void Run(string repoRoot)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-codex-").FullName;
        var session = new SidecarSession();
        session.Initialize(new InitializationOptions { PlueHome = home });
        // The repo's templates/ folder is exactly what ships beside the sidecar.
        var roots = new ContentRoots(session, repoRoot);

        var loads = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var clock = Stopwatch.StartNew();
            using var registry = new TemplateRegistry(roots, NullLogger<TemplateRegistry>.Instance);
            var set = registry.Load();
            loads.Add(clock.Elapsed.TotalMilliseconds);
            if (set.Templates.Count != 6) throw new InvalidOperationException("expected the 6 shipped templates");
        }
        Console.WriteLine($"load all shipped templates: first {Stats.Ms(loads[0])}, then median {Stats.Ms(Stats.Percentile(loads.Skip(1).ToList(), 50))}");

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
