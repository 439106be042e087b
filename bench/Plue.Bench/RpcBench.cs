using System.Diagnostics;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>
/// Cold start to initialize answered, request round trip and notification throughput, over real stdio pipes,
/// each against the minimal .NET JSON-RPC responder (plue-floor) doing the same: the cold start against it built
/// both ways (composite ReadyToRun and Native AOT), the rest against the lighter.
/// </summary>
internal static class RpcBench
{
    public static async Task RunAsync(BenchTargets targets, Figures figures)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-").FullName;
        var init = new InitializeParams { ProcessId = Environment.ProcessId, InitializationOptions = new InitializationOptions { PlueHome = home } };

        // Each start's page faults, read from the child as the answer arrives, beside its time: same runs, same load.
        var faults = new Dictionary<string, List<double>>();
        const int warmUp = 2;
        await figures.CompareEachAsync("spawn → initialize answered", "ms", targets.Rounds(20, 5), warmUp,
            () => ColdStartAsync(targets.Sidecar, home, init, faults),
            targets.StartFloors("JSON-RPC responder").Select(r => (r.Name, (Func<Task<double>>)(() => ColdStartAsync(r.Program, home, init, faults)))), "≤ 2× AOT");
        List<double> Recorded(string program) => [.. faults[program].Skip(warmUp)];
        foreach (var (name, program) in targets.StartFloors("JSON-RPC responder"))
            figures.Add("page faults to initialize", "faults", name, Recorded(targets.Sidecar), Recorded(program), "≤ 3× AOT");
        AddSections(targets, figures);

        // A live process's costs against the lightest responder: no JIT left in either once warm.
        var plue = await LiveAsync(targets.Sidecar, home, init);
        var floor = await LiveAsync(targets.LightFloor, home, init);
        var ping = new PingParams();
        await figures.CompareAsync("request round trip (plue/ping)", "µs", "JSON-RPC responder", targets.Rounds(3000, 300), warmUp: 300,
            () => RoundTripAsync(plue.Process.Peer, ping), () => RoundTripAsync(floor.Process.Peer, ping));

        var notifications = targets.Rounds(100_000, 20_000);
        await figures.CompareAsync("notifications written and read", "/s", "JSON-RPC responder", targets.Rounds(7, 3), warmUp: 1,
            () => NotificationRateAsync(plue, notifications), () => NotificationRateAsync(floor, notifications), "≥ 0.80×");
        await plue.Process.DisposeAsync();
        await floor.Process.DisposeAsync();
    }

    private static async Task<double> ColdStartAsync(string program, string home, InitializeParams init, Dictionary<string, List<double>> faults)
    {
        var clock = Stopwatch.StartNew();
        await using var process = SidecarProcess.Start(program, home);
        await process.Peer.RequestAsync(Contract.Initialize, init);
        var ms = clock.Elapsed.TotalMilliseconds;
        (faults.TryGetValue(program, out var list) ? list : faults[program] = []).Add(ProcessFigures.PageFaults(process.Id));
        return ms;
    }

    /// <summary>
    /// The executables' sections a start touches: each program's sizes printed, and the sidecar's beside the Native AOT
    /// responder's in the table (a composite ReadyToRun floor keeps its code in a dll, not in these sections).
    /// </summary>
    private static void AddSections(BenchTargets targets, Figures figures)
    {
        string Executable(string program) => Launch.Program(program) is var p && p != "dotnet" ? p : program;
        Console.WriteLine($"sections: plue: {ElfSections.Describe(Executable(targets.Sidecar))}");
        foreach (var (name, program) in targets.StartFloors("JSON-RPC responder"))
            Console.WriteLine($"sections: {name}: {ElfSections.Describe(Executable(program))}");
        if (targets.FloorAot is null) return;
        var plue = ElfSections.Sizes(Executable(targets.Sidecar));
        var floor = ElfSections.Sizes(targets.FloorAot);
        foreach (var section in ElfSections.Watched)
            figures.Add($"section {section}", "MiB", "JSON-RPC responder, AOT", [plue.GetValueOrDefault(section) / 1048576.0], [floor.GetValueOrDefault(section) / 1048576.0],
                section == ".hydrated" ? "≤ 3 MiB" : "");
    }

    private static async Task<double> RoundTripAsync(JsonRpcPeer peer, PingParams ping)
    {
        var start = Stopwatch.GetTimestamp();
        await peer.RequestAsync(Contract.Ping, ping);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static async Task<double> NotificationRateAsync(Live live, int count)
    {
        live.Pongs = 0;
        var clock = Stopwatch.StartNew();
        await live.Process.Peer.RequestAsync(Contract.Ping, new PingParams { Notifications = count });
        if (live.Pongs != count) throw new InvalidOperationException($"{live.Pongs} of {count} notifications arrived");
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<Live> LiveAsync(string program, string home, InitializeParams init)
    {
        var router = new RequestRouter();
        var live = new Live();
        router.Add(Contract.Pong, (_, _) => { live.Pongs++; return ValueTask.CompletedTask; });
        live.Process = SidecarProcess.Start(program, home, router);
        await live.Process.Peer.RequestAsync(Contract.Initialize, init);
        return live;
    }

    private sealed class Live
    {
        public SidecarProcess Process { get; set; } = null!;
        public int Pongs { get; set; }
    }
}
