using System.Diagnostics;
using System.Text.Json;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Shell;
using Plue.Processes;
using Plue.Sandbox;

namespace Plue.Bench;

/// <summary>
/// What the sandbox adds to one <c>bash</c> call: the bash tool's own call (<see cref="BashTool"/>, in process: the
/// launcher's command, the environment, the start, the output read to the end, the wait) under workspace-write
/// (bubblewrap in front, the home and a Plue home hidden, a workspace bound back, no network), beside bubblewrap's own
/// cost with the same sandbox (the floor: the very bwrap arguments that call is given, started directly), beside the
/// issue's minimal bwrap command (<c>--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --unshare-net</c>, which hides
/// nothing and leaves the command in the caller's session) and beside the call unsandboxed; interleaved in one run,
/// with the added time as each round's difference. Linux with bubblewrap only.
/// </summary>
internal static class SandboxBench
{
    private const string Command = "true";

    public static async Task AddFiguresAsync(Figures figures, bool isShort)
    {
        if (Bubblewrap.Executable is not { } bwrap)
        {
            Console.WriteLine($"sandbox: no figure ({Bubblewrap.Missing})");
            return;
        }
        var root = Directory.CreateTempSubdirectory("plue-bench-sandbox-").FullName;
        try
        {
            var workspace = Directory.CreateDirectory(Path.Combine(root, "ws")).FullName;
            var plueHome = Directory.CreateDirectory(Path.Combine(root, "plue-home")).FullName;
            var bash = new BashTool();
            using var input = JsonDocument.Parse(JsonSerializer.Serialize(new { command = Command }));
            ToolContext Context(SandboxPolicy policy) => new() { TaskId = "bench", WorkspaceFolders = [workspace], Sandbox = policy, PlueHome = plueHome };
            var sandboxed = Context(SandboxPolicy.WorkspaceWrite);
            var bare = Context(SandboxPolicy.Off);
            // The floor: bwrap with the arguments the bash tool's call gets, as the launcher makes them.
            var call = ProcessGroup.ShellStart(Command, workspace, [workspace], ChildEnvironment.Current(), SandboxPolicy.WorkspaceWrite, null, plueHome: plueHome);
            var floor = Direct(call.FileName, call.ArgumentList);
            var minimal = Direct(bwrap, "--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --unshare-net bash -c true".Split(' '));
            Console.WriteLine($"sandboxed call: {call.FileName} {string.Join(' ', call.ArgumentList)}");
            var rounds = isShort ? 40 : 200;
            var samples = await figures.CompareEachAsync("bash call, sandboxed (workspace-write)", "ms", rounds, 10, () => CallAsync(bash, input.RootElement, sandboxed),
                [("bwrap, same sandbox (floor)", () => RunAsync(floor)), ("bwrap, issue's minimal", () => RunAsync(minimal)),
                    ("bash call, unsandboxed", () => CallAsync(bash, input.RootElement, bare))], "floor+2 ms");
            figures.Note($"sandbox's added time per call (each round's difference): over bwrap's own (same sandbox) {Added(samples[0], samples[1])}; " +
                $"over the call unsandboxed {Added(samples[0], samples[3])}");
            await AllowListAsync(figures, bash, Context, workspace, rounds).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// An allow-list's call: the bridge starts first in the sandbox and hands the call's own proxy its loopback listener
    /// (<see cref="SandboxBridge"/>), beside the same bwrap arguments started directly with and without that bridge.
    /// The bridge is the one the sidecar picks: the C one its build puts beside it (as a Linux VSIX ships it).
    /// <c>PLUE_BENCH_PLUE</c> names a plue to bridge instead (the Native AOT one, to compare) in the direct starts; the
    /// bash call keeps the sidecar's.
    /// </summary>
    private static async Task AllowListAsync(Figures figures, BashTool bash, Func<SandboxPolicy, ToolContext> context, string workspace, int rounds)
    {
        var named = Environment.GetEnvironmentVariable("PLUE_BENCH_PLUE") is { Length: > 0 } plue ? new SandboxBridge.Command([plue], [plue]) : (SandboxBridge.Command?)null;
        if ((named ?? SandboxBridge.Found) is not { } bridge) return;
        var policy = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.test"] };
        using var proxy = SandboxProxy.Start(policy.AllowedHosts);
        using var input = JsonDocument.Parse(JsonSerializer.Serialize(new { command = Command }));
        var call = ProcessGroup.ShellStart(Command, workspace, [workspace], ChildEnvironment.Current(), policy, proxy, bridge: bridge);
        var bridged = call.ArgumentList.ToList();
        var start = bridged.IndexOf(SandboxBridge.Flag) - bridge.Line.Count;
        var plain = bridged[..start].Concat(bridged[(start + bridge.Line.Count + 3)..]).ToList();
        Console.WriteLine($"allow-list call: {call.FileName} {string.Join(' ', bridged)}");
        var samples = await figures.CompareEachAsync("bash call, sandboxed (allow-list)", "ms", rounds, 10, () => CallAsync(bash, input.RootElement, context(policy)),
            [("bwrap, same sandbox, no bridge (floor)", () => RunAsync(Direct(call.FileName, plain))),
                ("bwrap, same sandbox, with the bridge", () => RunAsync(Direct(call.FileName, bridged)))], "floor+2 ms");
        figures.Note($"allow-list's added time per call (bridge: {SandboxBridge.Found?.Line[^1]}): over bwrap's own (same sandbox, no bridge) {Added(samples[0], samples[1])}; " +
            $"the bridge alone ({bridge.Line[^1]}: bwrap with it over bwrap without) {Added(samples[2], samples[1])}");
    }

    private static string Added(List<double> plue, List<double> floor)
    {
        var differences = plue.Zip(floor, (p, f) => p - f).ToList();
        return $"median {Stats.Percentile(differences, 50):F1} ms, p99 {Stats.Percentile(differences, 99):F1} ms";
    }

    private static ProcessStartInfo Direct(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>One call of the bash tool, as a turn makes it: what it costs, in ms.</summary>
    internal static async Task<double> CallAsync(BashTool bash, JsonElement input, ToolContext context)
    {
        var clock = Stopwatch.StartNew();
        var result = await bash.RunAsync(input, context, CancellationToken.None).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (result.IsError || !result.Output.EndsWith("[exit code 0]", StringComparison.Ordinal))
            throw new InvalidOperationException($"the bash call failed: {result.Output}");
        return elapsed;
    }

    /// <summary>Starts it, reads its output to the end and waits for it: what one run costs, in ms.</summary>
    private static async Task<double> RunAsync(ProcessStartInfo start)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(output, error).ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{start.FileName} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}");
        return clock.Elapsed.TotalMilliseconds;
    }
}
