using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Catalog;
using Plue.Codex.Templates;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Sidecar;

/// <summary>
/// Reads what a new chat's first request reads from files, each on a thread of its own, from the moment the host is
/// built, so that the request finds it read:
/// <list type="bullet">
/// <item>the templates: every root's JSON5 files parsed and resolved (the request's first store read waits for them);</item>
/// <item>the catalog's shipped files (47, 0.8 MB); the user's catalog files wait for the catalog's first use, so one written by hand after the start is seen;</item>
/// <item>the vault's names: its first read loads the system's cryptography library (OpenSSL) to decrypt the file.</item>
/// </list>
/// They share nothing, and each blocks for milliseconds. Left to the request, they ran one after the other after the
/// host's start: its record read began at 42 ms and waited for the templates until 51. Side by side here, they run
/// while the host makes its endpoint tables. Registered first, so that its start comes before the other services'.
/// The window's sidecar only: a command that answers once reads what its own turn needs.
/// </summary>
internal sealed partial class StartReads(JsonRpcPeer peer, TemplateRegistry templates, CatalogStore catalog, IVault vault, ILogger<StartReads> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Once initialize is answered: the home and the vault's key are known from then on (a host inside the tests
        // starts before its client initializes).
        _ = peer.InitializeAnswered.ContinueWith(answered =>
        {
            StartWork.Run("plue templates read", () => _ = templates.Current, Failed);
            StartWork.Run("plue catalog read", catalog.ReadShippedFiles, Failed);
            StartWork.Run("plue vault read", () => _ = vault.StoredOrNone(), Failed);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Best effort: whatever fails here fails again at the request that needs it, which tells the user.
    private void Failed(Exception e) => LogFailed(e.Message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A read ahead of the start failed: {Reason}")]
    private partial void LogFailed(string reason);
}
