using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Agents;
using Plue.Processes;
using Plue.Sessions;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// The sidecar of a command that answers and exits (<c>plue ask</c>): without what serves a window over its life, the
/// watch for other processes' changes (the command shows its own), the sweeps after a dead sidecar (the editor's
/// sidecar does them at its start) and the warm-up of the latest chat (the command's turn is its own, and on a busy
/// machine reading another chat ahead only competes with it). Those sweeps took the owner lock that tells other sidecars this one's streaming
/// answers are alive; <see cref="HoldOwnerLock"/> takes it instead.
/// </summary>
public static class OneShotSidecar
{
    private static readonly HashSet<Type> s_windowOnly = [typeof(StoreWatcher), typeof(TaskRecovery), typeof(TranscriptRecovery), typeof(ChatWarmup)];

    /// <summary>
    /// Leaves the window-only hosted services out of <paramref name="services"/>: those registered by type, and those
    /// a factory makes (task recovery is its own service too), which start nothing when they are window-only.
    /// </summary>
    public static void Configure(IServiceCollection services)
    {
        var windowOnly = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } type && s_windowOnly.Contains(type)).ToList();
        foreach (var descriptor in windowOnly) services.Remove(descriptor);
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is not { ServiceType: var service, ImplementationFactory: { } make } || service != typeof(IHostedService)) continue;
            services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => make(sp) is var made && s_windowOnly.Contains(made.GetType()) ? new Idle() : (IHostedService)made);
        }
    }

    /// <summary>A window-only service's place in a one-shot host: nothing to start or stop.</summary>
    private sealed class Idle : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Takes the owner lock under the initialized home, before anything is written; null, or why it could not.</summary>
    public static string? HoldOwnerLock(IServiceProvider services)
    {
        var home = services.GetRequiredService<WorkspaceContext>().Home;
        try
        {
            SidecarOwner.Hold(home);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot lock {Path.Combine(home, SidecarOwner.FolderName)} ({e.Message}); a window opened meanwhile may mark this answer interrupted (its text is kept)";
        }
    }
}
