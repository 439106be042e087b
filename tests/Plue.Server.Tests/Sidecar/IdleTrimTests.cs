using System.IO.Pipelines;
using Plue.Rpc;
using Plue.Sidecar;
using System.Runtime.InteropServices;
using Plue.Tests.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Sidecar;

/// <summary>
/// The idle trim compacts the heap once the sidecar is idle: not while work runs with no request in flight (an agent
/// task streaming after <c>task/start</c> answered), and then once that work ends, with no request to arm it again.
/// </summary>
public sealed class IdleTrimTests : IDisposable
{
    private static readonly TimeSpan s_delay = TimeSpan.FromMilliseconds(50);
    private readonly Pipe _input = new();
    private readonly JsonRpcPeer _peer;

    public IdleTrimTests() =>
        _peer = new JsonRpcPeer(_input.Reader.AsStream(), Stream.Null, new RequestRouter(), TestLog.For<JsonRpcPeer>());

    [Fact]
    public async Task WhileATaskRuns_NothingIsTrimmed_ThenItsEndIsTrimmedWithNoRequest()
    {
        var working = true;
        using var trim = new IdleTrim(_peer, s_delay) { Working = () => working };
        trim.Arm();

        await Task.Delay(s_delay * 6);
        Assert.Equal(0, trim.Trims);

        working = false;
        await WaitForAsync(() => trim.Trims == 1);
        await Task.Delay(s_delay * 4);
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public async Task IdleWithNoWork_TrimsOnce()
    {
        using var trim = new IdleTrim(_peer, s_delay);
        trim.Arm();

        await WaitForAsync(() => trim.Trims == 1);
        await Task.Delay(s_delay * 4);
        Assert.Equal(1, trim.Trims);
    }

    /// <summary>
    /// Memory the native heap holds free but resident goes back to the system with the trim. On a thread of its own
    /// (glibc gives a new thread an arena of its own while there are few), 64 KiB blocks are allocated in turn, one
    /// kept, one freed: each freed one is a hole between live ones, which glibc keeps resident for reuse (only a free
    /// heap top is returned on free, and <c>malloc_trim</c> returns free holes). 32 MiB of holes: the process's
    /// anonymous memory falls by more than half of it. Without <c>malloc_trim</c> nothing falls.
    /// </summary>
    [GlibcFact]
    public void TheNativeHeapsFreePages_GoBackToTheSystem()
    {
        long before = 0, after = 0;
        var trimmed = false;
        var thread = new Thread(() =>
        {
            const int block = 64 * 1024, holes = 512; // under glibc's mmap threshold, so from the heap, not mappings of their own
            var ones = new byte[block];
            Array.Fill(ones, (byte)1);
            var kept = new List<nint>();
            var freed = new List<nint>();
            kept.Add(Marshal.AllocHGlobal(block));
            for (var i = 0; i < holes; i++)
            {
                freed.Add(Marshal.AllocHGlobal(block));
                kept.Add(Marshal.AllocHGlobal(block)); // the last block kept: no hole touches the heap's top
                Marshal.Copy(ones, 0, freed[^1], block); // touched, so resident
            }
            foreach (var b in freed) Marshal.FreeHGlobal(b);
            before = AnonymousKiB();
            trimmed = IdleTrim.TrimNativeHeap();
            after = AnonymousKiB();
            foreach (var b in kept) Marshal.FreeHGlobal(b);
        });
        thread.Start();
        thread.Join();
        Assert.True(trimmed);
        Assert.True(before - after > 16 * 1024, $"anonymous memory {before} KiB before the trim, {after} KiB after");
    }

    private static long AnonymousKiB() =>
        File.ReadLines("/proc/self/smaps_rollup").Where(l => l.StartsWith("Anonymous:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).Single();

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += s_delay)
        {
            if (waited > TimeSpan.FromSeconds(10)) Assert.Fail("the trim did not come");
            await Task.Delay(s_delay);
        }
    }

    public void Dispose() => _input.Writer.Complete();
}
