using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>A real sidecar process joined to a production <see cref="JsonRpcPeer"/> on its stdio.</summary>
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

    public static SidecarProcess Start(string dll, string home, RequestRouter? clientRouter = null)
    {
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PLUE_HOME"] = home;
        info.Environment["PLUE_LOG_LEVEL"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new SidecarProcess(process, clientRouter ?? new RequestRouter());
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
