using System.Diagnostics;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// One-shot command lines from a cold start: spawn → first byte of the answer on stdout, and spawn → exit, for
/// <c>plue ask</c> and <c>claude -p</c>, both against the same loopback fake Anthropic server (so the model costs
/// ~nothing), interleaved so both see the same machine load, beside the floor <c>plue --version</c> (the runtime's
/// start, before any command work). The ratio plue/claude is the figure; aim: plue's first token within 150 ms of
/// spawn. <c>llm</c> (the Python CLI) is measured when it is on PATH, pointed at the fake with its OpenAI-compatible
/// model settings; where it is not, the output says so.
/// </summary>
internal static class CliBench
{
    private const int Samples = 9;
    private const string Model = "claude-fake-1";
    private const string Key = "loopback-bench-key-not-real";

    public static async Task<int> RunAsync(string sidecar, string? claudePath)
    {
        var (claude, hasClaude) = ClaudePath(claudePath);
        var load = Stats.Load();
        var (plueRuns, floorRuns, claudeRuns, plue, _, _) = await MeasureAsync(sidecar, hasClaude ? claude : null, Samples);

        Console.WriteLine($"one-shot CLI from a cold start, fake Anthropic model on 127.0.0.1, {Samples} interleaved runs each ({load} at start, {Stats.Load()} at end)");
        Console.WriteLine($"  {"",-28} {"first byte median",18} {"p99",10} {"exit median",12} {"p99",10}");
        Line("floor: plue --version", floorRuns);
        Line($"plue ask ({string.Join(' ', plue.Select(Path.GetFileName))})", plueRuns);
        Console.WriteLine($"  plue ask over its floor: first byte +{Stats.Ms(Median(plueRuns, r => r.FirstByteMs) - Median(floorRuns, r => r.ExitMs))} (PLUE_TIMINGS=1 plue ask … tells where it goes)");
        // llm (the Python CLI) is installed with pip; where PyPI cannot be reached (and Debian has no package) it is not here to measure.
        Console.WriteLine(OnPath("llm") is { } llm
            ? $"  llm: found at {llm}, not yet driven by this bench (it needs an extra-openai-models.yaml pointing at a fake OpenAI server)"
            : "  llm: not on PATH, not measured (pip install llm needs PyPI; Debian has no package)");
        if (!hasClaude)
        {
            Console.WriteLine($"  claude -p: not found at {claude} (tests/support/install-claude.sh installs it)");
            return 0;
        }
        Line("claude -p", claudeRuns);
        Console.WriteLine($"  ratio plue/claude: first byte {Median(plueRuns, r => r.FirstByteMs) / Median(claudeRuns, r => r.FirstByteMs):F2}, " +
            $"exit {Median(plueRuns, r => r.ExitMs) / Median(claudeRuns, r => r.ExitMs):F2}   (aim: plue's first token ≤ 150 ms)");
        return 0;
    }

    /// <summary>The speed suite's rows: <c>plue ask</c>'s spawn → first byte beside <c>plue --version</c> and <c>claude -p</c>.</summary>
    /// <remarks>
    /// The target row's model is the chats' fake (the C writer where built): a fake that only writes the stream, so the
    /// row is the command's own time. The comparison with <c>claude -p</c> is on the fake Anthropic server both speak,
    /// which runs in this process and answers slower than the writer.
    /// </remarks>
    public static async Task AddFiguresAsync(BenchTargets targets, Figures figures)
    {
        var (claude, hasClaude) = ClaudePath(null);
        var (plueRuns, floorRuns, claudeRuns, _, writerRuns, repoRuns) = await MeasureAsync(targets.Sidecar, hasClaude ? claude : null, targets.Rounds(9, 3), targets.Provider, targets.Repo);
        figures.Add($"plue ask: spawn → first byte ({(targets.Writer is null ? "plue-floor's fake" : "C writer")})", "ms", "plue --version, spawn → exit", [.. writerRuns.Select(r => r.FirstByteMs)], [.. floorRuns.Select(r => r.ExitMs)], "≤ 60 ms");
        if (repoRuns.Count > 0)
            figures.Add("plue ask: the same, in this repository's root", "ms", "in an empty folder", [.. repoRuns.Select(r => r.FirstByteMs)], [.. writerRuns.Select(r => r.FirstByteMs)]);
        if (hasClaude) figures.Add("plue ask: spawn → first byte (fake Anthropic)", "ms", "claude -p, the same", [.. plueRuns.Select(r => r.FirstByteMs)], [.. claudeRuns.Select(r => r.FirstByteMs)]);
    }

    internal static (string Path, bool Found) ClaudePath(string? given)
    {
        var claude = given ?? Environment.GetEnvironmentVariable("PLUE_CLAUDE_CLI")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "plue-vscode", "claude", "node_modules", ".bin", "claude");
        return (claude, File.Exists(claude));
    }

    /// <summary>Interleaved cold runs of <c>plue --version</c>, <c>plue ask</c> and (when given) <c>claude -p</c> on one fake model.</summary>
    /// <param name="writer">A fake OpenAI provider that only writes the stream: <c>plue ask</c> on it is measured too, in the same rounds.</param>
    /// <param name="repo">A workspace with many folders (this repository): <c>plue ask</c> on the writer is measured in it too (the
    /// agent setups' scan of the workspace is on a command's path). The other runs are in an empty folder of their own.</param>
    private static async Task<(List<Run> Plue, List<Run> Floor, List<Run> Claude, string[] PlueCommand, List<Run> OnWriter, List<Run> InRepo)> MeasureAsync(
        string sidecar, string? claude, int samples, (string Program, string Name)? writer = null, string? repo = null)
    {
        var root = Directory.CreateTempSubdirectory("plue-bench-cli-").FullName;
        await using var fake = ScriptedAnthropicServer.Start();
        fake.Fallback = _ => ScriptedReply.Text("Pong, from the fake model.");
        string[] plue = [Launch.Program(sidecar), .. Launch.Arguments(sidecar)];
        var plueEnv = new Dictionary<string, string>
        {
            ["PLUE_HOME"] = Path.Combine(root, "plue-home"),
            ["PLUE_VAULT_KEY"] = Convert.ToBase64String(new byte[32]),
            ["BENCH_KEY"] = Key,
        };
        var added = await RunAsync([.. plue, "instances", "add", "anthropic", "--name", "Bench", "--endpoint", fake.BaseUrl, "-m", Model, "--key-env", "BENCH_KEY"], plueEnv);
        if (added.ExitCode != 0) throw new InvalidOperationException("plue instances add failed");
        using var provider = writer is { } streamWriter ? FakeProvider.Start(streamWriter.Program) : null;
        if (provider is not null && (await RunAsync([.. plue, "instances", "add", "openai", "--name", "Writer", "--endpoint", provider.BaseUrl, "-m", "bench-model", "--key-env", "BENCH_KEY"], plueEnv)).ExitCode != 0)
            throw new InvalidOperationException("plue instances add (the writer) failed");
        var claudeEnv = new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = fake.BaseUrl,
            ["ANTHROPIC_API_KEY"] = Key,
            ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(root, "claude-config")).FullName,
            ["HOME"] = Directory.CreateDirectory(Path.Combine(root, "claude-home")).FullName,
        };
        List<Run> plueRuns = [], claudeRuns = [], floorRuns = [], writerRuns = [], repoRuns = [];
        var empty = Directory.CreateDirectory(Path.Combine(root, "workspace")).FullName;
        for (var i = -1; i < samples; i++) // one unrecorded round warms the disk cache
        {
            var f = await RunAsync([.. plue, "--version"], plueEnv);
            var w = provider is not null ? await RunAsync([.. plue, "ask", "ping", "-i", "Writer"], plueEnv, empty) : null;
            var r = provider is not null && repo is not null ? await RunAsync([.. plue, "ask", "ping", "-i", "Writer"], plueEnv, repo) : null;
            var p = await RunAsync([.. plue, "ask", "ping", "-i", "Bench"], plueEnv, empty);
            var c = claude is not null ? await RunAsync([claude, "-p", "ping", "--model", Model], claudeEnv, empty) : null;
            if (i < 0) continue;
            plueRuns.Add(p);
            floorRuns.Add(f);
            if (w is not null) writerRuns.Add(w);
            if (r is not null) repoRuns.Add(r);
            if (c is not null) claudeRuns.Add(c);
        }
        Directory.Delete(root, recursive: true);
        return (plueRuns, floorRuns, claudeRuns, plue, writerRuns, repoRuns);
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private sealed record Run(double FirstByteMs, double ExitMs, int ExitCode);

    private static double Median(List<Run> runs, Func<Run, double> pick) => Stats.Percentile([.. runs.Select(pick)], 50);

    private static void Line(string name, List<Run> runs) =>
        Console.WriteLine($"  {name,-28} {Stats.Ms(Median(runs, r => r.FirstByteMs)),18} {Stats.Ms(Stats.Percentile([.. runs.Select(r => r.FirstByteMs)], 99)),10} " +
            $"{Stats.Ms(Median(runs, r => r.ExitMs)),12} {Stats.Ms(Stats.Percentile([.. runs.Select(r => r.ExitMs)], 99)),10}" +
            (runs.Any(r => r.ExitCode != 0) ? "   (some runs failed!)" : ""));

    /// <summary>Spawns with an environment of its own (PATH and the given variables only), stdin closed at once.</summary>
    private static async Task<Run> RunAsync(string[] command, Dictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var a in command[1..]) start.ArgumentList.Add(a);
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } dotnetRoot) start.Environment["DOTNET_ROOT"] = dotnetRoot;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var buffer = new char[1];
        var read = await process.StandardOutput.ReadAsync(buffer);
        var firstByte = clock.Elapsed.TotalMilliseconds;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var exit = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0 || read == 0) await Console.Error.WriteLineAsync($"{Path.GetFileName(command[0])} failed ({process.ExitCode}): {await stderr}");
        return new Run(firstByte, exit, process.ExitCode);
    }
}
