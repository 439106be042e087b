using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Customizations;
using Plue.Processes;
using Plue.Sessions;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// The sidecar of a command that answers and exits (<c>plue ask</c>): without what serves a window over its life, the
/// watch for other processes' changes (the command shows its own) and for the agent setups' files, the sweeps after a dead sidecar (the editor's
/// sidecar does them at its start) and the warm-up of the latest chat (the command's turn is its own, and on a busy
/// machine reading another chat ahead only competes with it). Those sweeps took the owner lock that tells other sidecars this one's streaming
/// answers are alive; <see cref="HoldOwnerLock"/> takes it instead.
/// </summary>
public static class OneShotSidecar
{
    private static readonly HashSet<Type> s_windowOnly = [typeof(StoreWatcher), typeof(TaskRecoveryStart), typeof(TranscriptRecovery), typeof(ChatWarmup), typeof(StartReads), typeof(Vault.UndoSecrets)];

    /// <summary>
    /// Leaves the window-only hosted services out of <paramref name="services"/>, by their registered type: none of
    /// them, nor what it needs, is made.
    /// </summary>
    public static void Configure(IServiceCollection services)
    {
        var windowOnly = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } type && s_windowOnly.Contains(type)).ToList();
        foreach (var descriptor in windowOnly) services.Remove(descriptor);
        // The agent setups are read once and not watched: the command is gone before a file of them could change.
        services.Replace(ServiceDescriptor.Singleton(sp => new CustomizationRegistry(sp.GetRequiredService<WorkspaceContext>(),
            sp.GetRequiredService<Codex.Records.CodexService>(), sp.GetRequiredService<ILogger<CustomizationRegistry>>(), watch: false)));
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
