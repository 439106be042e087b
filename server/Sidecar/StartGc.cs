using System.Runtime;

namespace Plue.Sidecar;

/// <summary>
/// No collection of the heap while a cold start is answering its first turn. Everything a start builds (the features'
/// services, JSON metadata, the catalog's and templates' reads) is still alive at the first collection, so that one
/// compacts all of it: in a profile of cold new chats it was 12% of the sidecar's CPU, and it fell inside the first
/// turn, every thread stopped. Held from the answer to <c>initialize</c> (a collection of the near-empty heap starts the
/// hold) until the first streamed delta is written (collections then go on as usual, the first one while the answer
/// streams), or the room is used up, or a few seconds pass without an answer (the first collection is made then,
/// while the window waits for the user). A command (<c>plue ask</c>, <c>plue acp</c>) ends it itself, once the first
/// delta is out of its own process: its sidecar's delta has one more hop to go, and a collection there held the first
/// token.
/// </summary>
public static class StartGc
{
    // Room to allocate without a collection: a cold first turn allocates ~7.5 MiB to its first delta. No more: what is
    // allocated in the hold touches fresh pages, which stay resident (docs/BENCHMARKS.md has the bench's figures); past it
    // the runtime collects, as without a hold.
    private const long Room = 16L << 20;
    private static int s_held;
    private static bool s_endedByCaller;

    /// <summary>Starts the hold; nothing when one cannot start (a host inside another program that holds one).</summary>
    /// <param name="endedByCaller">Only <see cref="Release"/> (or the room, or the time) ends it, not the sidecar's first delta written.</param>
    public static void Hold(TimeSpan atMost, bool endedByCaller = false)
    {
        try
        {
            if (!GC.TryStartNoGCRegion(Room)) return;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return;
        }
        s_endedByCaller = endedByCaller;
        Volatile.Write(ref s_held, 1);
        // No answer streamed meanwhile (the user is still typing): the collection put off is made now, while nothing
        // waits, not in the first turn.
        _ = Task.Delay(atMost).ContinueWith(_ =>
        {
            if (Release()) GC.Collect(0);
        }, TaskScheduler.Default);
    }

    /// <summary>The sidecar wrote a streamed delta: ends the hold, unless its caller ends it. Cheap when there is none (called at each).</summary>
    public static void DeltaWritten()
    {
        if (Volatile.Read(ref s_held) != 0 && !s_endedByCaller) Release();
    }

    /// <summary>Ends the hold, once (whether this call ended it); cheap when there is none.</summary>
    public static bool Release()
    {
        if (Volatile.Read(ref s_held) == 0 || Interlocked.Exchange(ref s_held, 0) == 0) return false;
        try
        {
            // The room may be used up already: the runtime then ended the hold itself.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
        }
        return true;
    }
}
