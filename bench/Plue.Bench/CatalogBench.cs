using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>
/// What the catalog costs a fresh sidecar. The store loads lazily, so start-up pays nothing; the first
/// <c>catalog/list</c> pays the load (43 files, ~1,550 models) plus its handler's first run. Measured per fresh
/// process as (first catalog/list round trip) − (a plue/ping round trip made just before it, after one
/// unrecorded ping has warmed the shared request path), median of <see cref="Processes"/> processes.
/// The first <c>catalog/models</c> (the largest provider, after the list) is timed the same way: it parses one file.
/// </summary>
internal static partial class CatalogBench
{
    private const int Processes = 20;
    private const string LargestProvider = "aihubmix";

    public static async Task RunAsync(string sidecar)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-").FullName;
        var init = new InitializeParams { ProcessId = Environment.ProcessId, InitializationOptions = new InitializationOptions { PlueHome = home } };
        var empty = new EmptyParams();
        var ping = new PingParams();

        List<double> starts = [], pings = [], firstLists = [], added = [], warmLists = [], firstModels = [];
        var models = new CatalogModelsParams { ProviderId = LargestProvider };
        var modelCount = 0;
        List<double> loads = [];
        var providers = 0;
        for (var i = -2; i < Processes; i++) // two unrecorded processes warm the disk cache and this client's JIT
        {
            var clock = Stopwatch.StartNew();
            await using var s = SidecarProcess.Start(sidecar, home, logLevel: "Information"); // the default level

            await s.Peer.RequestAsync(Contract.Initialize, init);
            var start = clock.Elapsed.TotalMilliseconds;
            await s.Peer.RequestAsync(Contract.Ping, ping);

            var t = Stopwatch.GetTimestamp();
            await s.Peer.RequestAsync(Contract.Ping, ping);
            var pingMs = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

            t = Stopwatch.GetTimestamp();
            var list = await s.Peer.RequestAsync(Contract.CatalogList, empty);
            var firstMs = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

            t = Stopwatch.GetTimestamp();
            await s.Peer.RequestAsync(Contract.CatalogList, empty);
            var warmMs = Stopwatch.GetElapsedTime(t).TotalMilliseconds;

            t = Stopwatch.GetTimestamp();
            var largest = await s.Peer.RequestAsync(Contract.CatalogModels, models);
            var modelsMs = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (i < 0) continue;
            modelCount = largest.Count;
            firstModels.Add(modelsMs - pingMs);
            providers = list.Count;
            starts.Add(start);
            pings.Add(pingMs);
            firstLists.Add(firstMs);
            added.Add(firstMs - pingMs);
            warmLists.Add(warmMs);
        }

        // The store's own clock, from a Debug log line (which the round trips above do not pay for).
        for (var i = 0; i < Processes / 2; i++)
        {
            await using var s = SidecarProcess.Start(sidecar, home, logLevel: "Debug");
            await s.Peer.RequestAsync(Contract.Initialize, init);
            await s.Peer.RequestAsync(Contract.CatalogList, empty);
            await s.Peer.RequestAsync(Contract.Ping, ping); // the log line is written before this answer
            if (s.Log.Select(l => LoadedLine().Match(l)).FirstOrDefault(m => m.Success) is { } loaded)
                loads.Add(double.Parse(loaded.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        string Median(List<double> xs) => Stats.Ms(Stats.Percentile(xs, 50));
        Console.WriteLine($"cold start to initialize answered (catalog not loaded): median {Median(starts)} ({Processes} processes)");
        Console.WriteLine($"plue/ping round trip, second in the process: median {Median(pings)}");
        Console.WriteLine($"first catalog/list round trip ({providers} providers): median {Median(firstLists)}, max {Stats.Ms(firstLists.Max())}");
        Console.WriteLine($"catalog first-use cost (first catalog/list - ping): median {Median(added)}, " +
            $"min {Stats.Ms(added.Min())}, p90 {Stats.Ms(Stats.Percentile(added, 90))}, max {Stats.Ms(added.Max())}");
        if (loads.Count > 0)
            Console.WriteLine($"catalog load inside the sidecar (its own clock, all headers): median {Median(loads)} ({loads.Count} processes), p90 {Stats.Ms(Stats.Percentile(loads, 90))}");
        Console.WriteLine($"catalog/list once loaded: median {Median(warmLists)}");
        Console.WriteLine($"first catalog/models {LargestProvider} ({modelCount} models) - ping: median {Median(firstModels)}, " +
            $"p90 {Stats.Ms(Stats.Percentile(firstModels, 90))}");
    }

    [GeneratedRegex(@"Catalog loaded: .* in ([0-9.]+) ms")]
    private static partial Regex LoadedLine();
}
