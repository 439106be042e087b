using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Support.Polling;

namespace Plue.Tests.Agents;

/// <summary><c>task/updated</c> over the real sidecar: what it keeps per task once tasks are over.</summary>
public sealed class TaskEventsTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task ManyShortTasks_LeaveNoThrottleBehind()
    {
        const int Tasks = 1000;
        _world.Fake.Script("SHORT", FakeOpenAIServer.Final("Done.", 100, 10));
        var meters = _world.Sidecar.Services.GetRequiredService<IMeterFactory>();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var batch = 0; batch < Tasks; batch += 100)
        {
            var started = await Task.WhenAll(Enumerable.Range(batch, 100).Select(i => _world.StartTaskAsync("task", $"SHORT-{i}: answer", AgentWorld.Cheap)));
            ids.UnionWith(started.Select(t => t["id"]!.GetValue<string>()));
        }
        await Eventually(() => CompletedCount(ids) == Tasks, $"{Tasks} tasks complete");

        // Each task spent (a throttled cost update) and changed status (immediate updates): none keeps a throttle after,
        // as the sidecar's plue.agents.update_throttles counter says.
        await Eventually(() => Instruments.Read(meters, "Plue.Agents", "plue.agents.update_throttles") == 0, "no task keeps a throttle");
    }

    private int CompletedCount(HashSet<string> ids) =>
        _world.Client.Notifications
            .Where(n => n["method"]!.GetValue<string>() == "task/updated" && n["params"]!["task"]!["status"]!.GetValue<string>() == "completed")
            .Select(n => n["params"]!["task"]!["id"]!.GetValue<string>())
            .Where(ids.Contains).Distinct().Count();
}
