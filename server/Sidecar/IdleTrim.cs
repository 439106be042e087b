using System.Runtime;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// Gives memory back while the sidecar is idle: once no request has run for <see cref="Delay"/>, one compacting
/// collection returns the heap that a turn, a long chat's history or start-up grew to the system. A window is open
/// for hours, mostly idle; without this it would hold the high-water mark of its busiest moment.
/// </summary>
internal sealed class IdleTrim : IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private readonly JsonRpcPeer _peer;
    private readonly Timer _timer;

    public IdleTrim(JsonRpcPeer peer)
    {
        _peer = peer;
        _timer = new Timer(_ => Trim());
        peer.Quiet = Arm;
    }

    /// <summary>Trims after <see cref="Delay"/> unless a request is running then (its end arms it again).</summary>
    public void Arm() => _timer.Change(Delay, Timeout.InfiniteTimeSpan);

    private void Trim()
    {
        if (_peer.Busy) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose()
    {
        _peer.Quiet = null;
        _timer.Dispose();
    }
}
