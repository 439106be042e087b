using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>The start's blocking work runs on named threads of its own, never the pool's; what it throws reaches its caller.</summary>
public sealed class StartWorkTests
{
    [Fact]
    public async Task TheWork_RunsOnANamedThreadOfItsOwn_AtTheCallersPriority()
    {
        var ran = new TaskCompletionSource<(string? Name, bool Pool, int Nice)>();

        StartWork.Run("plue test work", () => ran.SetResult((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, ThreadNice())), e => ran.SetException(e));

        var (name, pool, nice) = await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("plue test work", name);
        Assert.False(pool);
        // Never lowered: a thread it makes (the transcript writer, a pool worker) would keep that priority for good.
        if (OperatingSystem.IsLinux()) Assert.Equal(ThreadNice(), nice);
    }

    [Fact]
    public async Task WhatTheWorkThrows_GoesToItsCaller_NotToTheProcess()
    {
        var failed = new TaskCompletionSource<Exception>();

        StartWork.Run("plue test failing", () => throw new InvalidOperationException("the store is locked"), failed.SetResult);

        var e = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("the store is locked", e.Message);
    }

    /// <summary>The calling thread's nice value, from /proc (the 19th field of its stat line).</summary>
    private static int ThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
