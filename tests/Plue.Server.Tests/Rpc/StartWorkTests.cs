using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>The start's blocking work runs on threads of its own; the warm-up's yields the cores to requests.</summary>
public sealed class StartWorkTests
{
    [Fact]
    public async Task AYieldingThread_RunsBelowARequestsPriority_AnotherAtItsOwn()
    {
        var yielding = new TaskCompletionSource<(int Nice, string? Name, bool Pool)>();
        var plain = new TaskCompletionSource<int>();

        StartWork.Run("plue test yielding", () => yielding.SetResult((StartWork.CurrentNice(), Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread)), e => yielding.SetException(e), yielding: true);
        StartWork.Run("plue test plain", () => plain.SetResult(StartWork.CurrentNice()), e => plain.SetException(e));

        var (nice, name, pool) = await yielding.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("plue test yielding", name);
        Assert.False(pool);
        var own = StartWork.CurrentNice();
        // Linux keeps a nice value per thread (a process already nicer than that keeps its own); elsewhere the thread's
        // priority is lowered, which is not read here.
        if (OperatingSystem.IsLinux()) Assert.Equal(Math.Max(own, StartWork.YieldingNice), nice);
        Assert.Equal(own, await plain.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WhatTheWorkThrows_GoesToItsCaller_NotToTheProcess()
    {
        var failed = new TaskCompletionSource<Exception>();

        StartWork.Run("plue test failing", () => throw new InvalidOperationException("the store is locked"), failed.SetResult);

        var e = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("the store is locked", e.Message);
    }
}
