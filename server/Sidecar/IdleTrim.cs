using System.Runtime;
using System.Runtime.InteropServices;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// Gives memory back while the sidecar is idle: once no request has run for <see cref="Delay"/>, one compacting
/// collection returns the heap that a turn, a task, a long chat's history or start-up grew to the system. A window is
/// open for hours, mostly idle; without this it would hold the high-water mark of its busiest moment. Work that runs
/// with no request in flight (an agent task streams long after <c>task/start</c> answered) counts as busy too: the
/// trim waits for its end rather than pausing it, and comes after it. Not sooner than a conversation's next turn
/// usually comes: the turn after a trim faults the memory it needs back in, page by page. The store's idle pooled
/// connections are closed with it, their page caches freed, and the native heap's free pages go back too.
/// </summary>
internal sealed partial class IdleTrim : IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);

    private readonly JsonRpcPeer _peer;
    private readonly TimeSpan _delay;
    private readonly Timer _timer;
    private int _trims;

    /// <param name="delay">How long idle before trimming (<see cref="Delay"/> unless a test says).</param>
    public IdleTrim(JsonRpcPeer peer, TimeSpan? delay = null)
    {
        _peer = peer;
        _delay = delay ?? Delay;
        _timer = new Timer(_ => Trim());
        peer.Quiet = Arm;
    }

    /// <summary>Other work than requests that keeps the sidecar busy (the running agent tasks); set once the features exist.</summary>
    public Func<bool> Working { get; set; } = () => false;

    /// <summary>How many times the heap was trimmed.</summary>
    public int Trims => Volatile.Read(ref _trims);

    /// <summary>Trims after the delay unless a request is running then (its end arms it again) or other work is (looked at again later).</summary>
    public void Arm() => _timer.Change(_delay, Timeout.InfiniteTimeSpan);

    private void Trim()
    {
        if (_peer.Busy) return;
        if (Working())
        {
            Arm();
            return;
        }
        // The pooled store connections go too, each with its own page cache (up to 2 MB); the next request opens one.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
        Interlocked.Increment(ref _trims);
    }

    /// <summary>
    /// Gives back what the native heap holds free: glibc keeps memory freed by SQLite's closed connections, OpenSSL and
    /// the runtime in its per-thread arenas, resident, until <c>malloc_trim</c> returns it (~1.5 MiB of a sidecar idle
    /// after 16 turns). Whether it was asked: false where there is no such call (musl, macOS, Windows).
    /// </summary>
    internal static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    public void Dispose()
    {
        _peer.Quiet = null;
        _timer.Dispose();
    }
}
