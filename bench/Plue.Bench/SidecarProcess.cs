using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>A real sidecar (or floor responder) process joined to a production <see cref="JsonRpcPeer"/> on its stdio.</summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _serving;

    private SidecarProcess(Process process, RequestRouter clientRouter, Framing framing)
    {
        _process = process;
        Peer = new JsonRpcPeer(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, clientRouter,
            NullLogger<JsonRpcPeer>.Instance, new JsonRpcPeerOptions { RequireInitialize = false, Framing = framing });
        _serving = Peer.RunAsync(CancellationToken.None);
    }

    public JsonRpcPeer Peer { get; }

    /// <summary>CPU time the process has used so far (user + kernel).</summary>
    public TimeSpan CpuTime => ProcessFigures.CpuTime(_process);

    /// <summary>The memory the process holds resident now (VmRSS).</summary>
    public long ResidentBytes => ProcessFigures.ResidentBytes(_process);

    public int Id => _process.Id;

    /// <summary>The most memory the process has held resident (VmHWM on Linux).</summary>
    public long PeakWorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>What the sidecar logged on stderr so far (at <c>logLevel</c> and above).</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public static SidecarProcess Start(string program, string home, RequestRouter? clientRouter = null, string logLevel = "Warning") =>
        Start(program, [], home, clientRouter, logLevel, Framing.Lsp, new Dictionary<string, string>());

    /// <summary>The program with <paramref name="args"/> (<c>acp</c>: the ACP agent, one message per line) and more environment.</summary>
    public static SidecarProcess Start(string program, string[] args, string home, RequestRouter? clientRouter, string logLevel, Framing framing,
        IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Launch.Program(program), Launch.Arguments(program, args))
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PLUE_HOME"] = home;
        info.Environment["PLUE_LOG_LEVEL"] = logLevel;
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        var sidecar = new SidecarProcess(process, clientRouter ?? new RequestRouter(), framing);
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) sidecar.Log.Enqueue(line); };
        process.BeginErrorReadLine();
        return sidecar;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _serving.ConfigureAwait(false);
        await Peer.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}

/// <summary>
/// How a published program starts: a native executable (Native AOT, or an apphost) as it is; a dll by the apphost
/// beside it, as users start the sidecar (a self-contained publish has no other way), or through <c>dotnet</c> where
/// there is none.
/// </summary>
internal static class Launch
{
    public static string Program(string program) => Executable(program) is { } executable ? executable : "dotnet";

    public static string[] Arguments(string program, params string[] args) => Executable(program) is null ? [program, .. args] : args;

    private static string? Executable(string program)
    {
        if (!program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return program;
        var apphost = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(program))!, Path.GetFileNameWithoutExtension(program) + (OperatingSystem.IsWindows() ? ".exe" : ""));
        return File.Exists(apphost) ? apphost : null;
    }
}

/// <summary>A process's CPU time and resident memory, read from /proc where it is there.</summary>
internal static partial class ProcessFigures
{
    /// <summary>
    /// CPU time the process has used so far, all its threads', those ended too. On Linux to the nanosecond, from its
    /// CPU-time clock (clock_getcpuclockid's, which any process may read): /proc's figure, which Process reads, counts
    /// in 10 ms ticks, coarser than a C writer's whole turn of a few hundred deltas.
    /// </summary>
    public static TimeSpan CpuTime(Process process)
    {
        // The kernel's process CPU clock id: (~pid << 3) | CPUCLOCK_SCHED (2).
        if (OperatingSystem.IsLinux() && ClockGetTime(~process.Id << 3 | 2, out var time) == 0)
            return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
        process.Refresh();
        return process.TotalProcessorTime;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>
    /// The page faults the process has taken so far, minor and major (/proc/PID/stat's minflt and majflt; -1 elsewhere):
    /// a Native AOT start's time is mostly faults on fresh pages, so each start figure shows how many it took.
    /// </summary>
    public static double PageFaults(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path)) return -1;
        // The fields after the command's ")": state is field 3, minflt 10, majflt 12.
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return double.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[9], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Resident memory split as Linux counts it: anonymous (heaps, stacks) and file-backed (the executable's pages, mapped files).</summary>
    public static string ResidentByKind(int pid) => Resident(pid) is { } r
        ? $"Rss {r.Total:F1} MiB = anonymous {r.Anonymous:F1} + file-backed {r.FileBacked:F1} MiB (of which shared {r.Shared:F1})"
        : "not on this OS";

    /// <summary>The process's resident memory in MiB by kind (/proc/PID/smaps_rollup); null where there is none.</summary>
    public static (double Total, double Anonymous, double FileBacked, double Shared)? Resident(int pid)
    {
        var path = $"/proc/{pid}/smaps_rollup";
        if (!File.Exists(path)) return null;
        var kb = File.ReadAllLines(path).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => long.Parse(p[1].Trim()[..^3], System.Globalization.CultureInfo.InvariantCulture));
        double MiB(string key) => kb.GetValueOrDefault(key) / 1024.0;
        return (MiB("Rss"), MiB("Anonymous"), MiB("Rss") - MiB("Anonymous"), MiB("Shared_Clean") + MiB("Shared_Dirty"));
    }

    public static long ResidentBytes(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }
}
