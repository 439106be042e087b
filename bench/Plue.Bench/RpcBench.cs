using System.Diagnostics;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>Cold start to initialize answered, request round trip, notification throughput: all over real stdio pipes.</summary>
internal static class RpcBench
{
    private const int ColdStarts = 15;
    private const int RoundTrips = 5000;
    private const int Notifications = 200_000;

    public static async Task RunAsync(string sidecar)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-").FullName;
        var init = new InitializeParams { ProcessId = Environment.ProcessId, InitializationOptions = new InitializationOptions { PlueHome = home } };

        var starts = new List<double>();
        for (var i = -2; i < ColdStarts; i++) // two unrecorded starts warm the disk cache and this client's JIT
        {
            var clock = Stopwatch.StartNew();
            await using var s = SidecarProcess.Start(sidecar, home);
            await s.Peer.RequestAsync(Contract.Initialize, init);
            if (i >= 0) starts.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"cold start to initialize answered: median {Stats.Ms(Stats.Percentile(starts, 50))}, " +
            $"min {Stats.Ms(starts.Min())}, max {Stats.Ms(starts.Max())} ({ColdStarts} starts)");

        var pongs = 0;
        var router = new RequestRouter();
        router.Add(Contract.Pong, (_, _) => { pongs++; return ValueTask.CompletedTask; });
        await using var sidecarProcess = SidecarProcess.Start(sidecar, home, router);
        var peer = sidecarProcess.Peer;
        await peer.RequestAsync(Contract.Initialize, init);

        var ping = new PingParams();
        for (var i = 0; i < 500; i++) await peer.RequestAsync(Contract.Ping, ping);
        var trips = new List<double>(RoundTrips);
        for (var i = 0; i < RoundTrips; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await peer.RequestAsync(Contract.Ping, ping);
            trips.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        Console.WriteLine($"request round trip (plue/ping): p50 {Stats.Ms(Stats.Percentile(trips, 50))}, " +
            $"p99 {Stats.Ms(Stats.Percentile(trips, 99))} ({RoundTrips} sequential requests)");

        await peer.RequestAsync(Contract.Ping, new PingParams { Notifications = 10_000 });
        pongs = 0;
        var sw = Stopwatch.StartNew();
        await peer.RequestAsync(Contract.Ping, new PingParams { Notifications = Notifications });
        var rate = pongs / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"notifications written by the sidecar and read by a client: {rate:N0}/s ({pongs:N0} in {sw.Elapsed.TotalMilliseconds:F0} ms)");
    }
}
