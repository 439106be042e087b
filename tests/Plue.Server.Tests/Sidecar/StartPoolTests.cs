using Plue.Sidecar;

namespace Plue.Tests.Sidecar;

/// <summary>The sidecar's start widens the thread pool, so a first request does not wait behind the start's blocking work.</summary>
public sealed class StartPoolTests
{
    [Fact]
    public void Widen_LetsThePoolMakeEightWorkersAtOnce_AndLeavesAWiderPoolAsItIs()
    {
        ThreadPool.GetMinThreads(out var workersBefore, out var completionsBefore);

        StartPool.Widen();

        ThreadPool.GetMinThreads(out var workers, out var completions);
        Assert.Equal(Math.Max(workersBefore, StartPool.Threads), workers);
        Assert.Equal(completionsBefore, completions);
    }
}
