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
    /// Memory the native heap holds free but resident (freed blocks between ones still in use, which glibc's own trim of
    /// the heap's top cannot return) goes back to the system with the trim: 32 MiB freed between live blocks, the
    /// process's anonymous memory falls by most of it. Without <c>malloc_trim</c> it stays (glibc keeps it for reuse).
    /// </summary>
    [OsFact("Linux")]
    public void TheNativeHeapsFreePages_GoBackToTheSystem()
    {
        const int block = 64 * 1024, count = 512; // under glibc's mmap threshold, so from the heap, not mappings of their own
        var blocks = new nint[count];
        var pins = new nint[count];
        var ones = new byte[block];
        Array.Fill(ones, (byte)1);
        for (var i = 0; i < count; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(block);
            Marshal.Copy(ones, 0, blocks[i], block); // touched, so resident
            pins[i] = Marshal.AllocHGlobal(64); // in use after each block: the freed blocks are holes, not the heap's top
        }
        try
        {
            foreach (var b in blocks) Marshal.FreeHGlobal(b);
            var before = AnonymousKiB();
            Assert.True(IdleTrim.TrimNativeHeap());
            var after = AnonymousKiB();
            Assert.True(before - after > 16 * 1024, $"anonymous memory {before} KiB before the trim, {after} KiB after");
        }
        finally
        {
            foreach (var p in pins) Marshal.FreeHGlobal(p);
        }
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
