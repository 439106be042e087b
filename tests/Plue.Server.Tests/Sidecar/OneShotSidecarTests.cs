using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Agents;
using Plue.Sessions;
using Plue.Sidecar;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Sidecar;

/// <summary>The one-shot sidecar (<c>plue ask</c>'s) starts none of what serves a window over its life.</summary>
public sealed class OneShotSidecarTests
{
    [Fact]
    public async Task Starts_none_of_the_window_only_services()
    {
        await using var sidecar = new InProcessSidecar(OneShotSidecar.Configure);
        var started = sidecar.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        // Task recovery is a service of its own too (the task methods use it): its start is a type of its own, left out
        // without making the recovery.
        Assert.DoesNotContain(typeof(TaskRecoveryStart), started);
        Assert.DoesNotContain(typeof(TaskRecovery), started);
        Assert.DoesNotContain(typeof(TranscriptRecovery), started);
        Assert.DoesNotContain(typeof(ChatWarmup), started);
        Assert.DoesNotContain(typeof(StartReads), started);
        Assert.DoesNotContain(typeof(StoreWatcher), started);
        Assert.Contains(typeof(SidecarService), started);
    }

    [Fact]
    public async Task A_window_starts_them()
    {
        await using var sidecar = new InProcessSidecar();
        var started = sidecar.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Contains(typeof(TaskRecoveryStart), started);
        Assert.Contains(typeof(ChatWarmup), started);
        Assert.Contains(typeof(StartReads), started);
    }
}
