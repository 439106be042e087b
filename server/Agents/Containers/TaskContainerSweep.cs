using Microsoft.Extensions.Hosting;
using Plue.Workspace;

namespace Plue.Agents.Containers;

/// <summary>
/// At start, once the home is known: the containers a killed sidecar of this Plue home left are removed (their tasks
/// were marked stopped by the task sweep, and resume in a new container), off the start's path.
/// </summary>
public sealed class TaskContainerSweep(TaskContainers containers, WorkspaceContext session) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.Initialized += () => _ = Task.Run(() => containers.SweepAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
