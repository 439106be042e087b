using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>
/// <see cref="SocketThread.Leave"/>: code after a socket read that may block moves off the thread the read completed
/// on (the runtime's socket thread, not a pool thread), so that thread is free at once; on the pool it goes on in place.
/// </summary>
public sealed class SocketThreadTests
{
    [Fact]
    public async Task Leave_OffThePool_ReturnsTheThreadAtOnce_AndGoesOnOnThePool()
    {
        var after = new TaskCompletionSource<(bool Pool, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedUntil = new ManualResetEventSlim();
        var freed = new ManualResetEventSlim();
        async Task AfterARead()
        {
            await SocketThread.Leave();
            blockedUntil.Wait(TimeSpan.FromSeconds(10)); // what may block: a child's start, a wait for other I/O
            after.SetResult((Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId));
        }
        var socketThread = new Thread(() =>
        {
            _ = AfterARead();
            freed.Set(); // reached only once AfterARead has handed its rest to the pool
        }) { IsBackground = true };
        socketThread.Start();

        Assert.True(freed.Wait(TimeSpan.FromSeconds(5)), "the socket thread was held by the code after the read");
        blockedUntil.Set();
        var (pool, thread) = await after.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(pool);
        Assert.NotEqual(socketThread.ManagedThreadId, thread);
    }

    [Fact]
    public async Task Leave_OnThePool_GoesOnInPlace()
    {
        var (before, after) = await Task.Run(async () =>
        {
            var first = Environment.CurrentManagedThreadId;
            var leaving = SocketThread.Leave();
            Assert.True(leaving.IsCompleted);
            await leaving;
            return (first, Environment.CurrentManagedThreadId);
        });
        Assert.Equal(before, after);
    }
}
