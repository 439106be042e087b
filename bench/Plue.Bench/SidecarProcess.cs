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

    private SidecarProcess(Process process, RequestRouter clientRouter)
    {
        _process = process;
        Peer = new JsonRpcPeer(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, clientRouter,
            NullLogger<JsonRpcPeer>.Instance, new JsonRpcPeerOptions { RequireInitialize = false });
        _serving = Peer.RunAsync(CancellationToken.None);
    }

    public JsonRpcPeer Peer { get; }

    /// <summary>CPU time the process has used so far (user + kernel).</summary>
    public TimeSpan CpuTime => ProcessFigures.CpuTime(_process);

    /// <summary>The memory the process holds resident now (VmRSS).</summary>
    public long ResidentBytes => ProcessFigures.ResidentBytes(_process);

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

    public static SidecarProcess Start(string dll, string home, RequestRouter? clientRouter = null, string logLevel = "Warning")
    {
        var info = new ProcessStartInfo(Launch.Program(dll), Launch.Arguments(dll))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PLUE_HOME"] = home;
        info.Environment["PLUE_LOG_LEVEL"] = logLevel;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var sidecar = new SidecarProcess(process, clientRouter ?? new RequestRouter());
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
/// How a published program starts: by the apphost beside its dll, as users start the sidecar (a self-contained
/// publish has no other way); through <c>dotnet</c> where there is none.
/// </summary>
internal static class Launch
{
    public static string Program(string dll) => Apphost(dll) is { } apphost ? apphost : "dotnet";

    public static string[] Arguments(string dll, params string[] args) => Apphost(dll) is null ? [dll, .. args] : args;

    private static string? Apphost(string dll) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dll))!, Path.GetFileNameWithoutExtension(dll) + (OperatingSystem.IsWindows() ? ".exe" : "")) is var path
        && File.Exists(path) ? path : null;
}

/// <summary>A process's CPU time and resident memory, read from /proc where it is there.</summary>
internal static class ProcessFigures
{
    public static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public static long ResidentBytes(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }
}
