using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Vault;

/// <summary>
/// The secrets a deleted record's kind put aside for an undo (<c>vault://undo/&lt;record id&gt;</c>: a provider
/// instance's key, an MCP server's variables and sign-in) are kept for <see cref="KeptFor"/> after the delete, then
/// removed from the vault: at the sidecar's start for those already older, and hourly while it runs. An undo after that
/// brings the record back without them, and its form says which secrets are not stored. One whose record is back (or
/// never was) is removed at once.
/// </summary>
public sealed partial class UndoSecrets(IVault vault, CodexService codex, WorkspaceContext session, ILogger<UndoSecrets> logger) : IHostedService, IDisposable
{
    /// <summary>How long a deleted record's secrets wait for an undo.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    public const string Prefix = VaultReference.Scheme + "undo/";

    private Timer? _hourly;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The store and the vault are known only after initialize.
        session.Initialized += () => StartWork.Run("plue undo secrets", () =>
        {
            Sweep();
            _hourly = new Timer(_ => Sweep(), null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        }, e => LogFailed(e.Message));
        return Task.CompletedTask;
    }

    private void Sweep()
    {
        try
        {
            if (Purge(DateTimeOffset.UtcNow) is var count and > 0) LogPurged(count);
        }
        catch (Exception e) when (e is RpcException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // A vault that cannot be opened (no key yet) or a busy store: the next sweep tries again.
            LogFailed(e.Message);
        }
    }

    /// <summary>Removes the undo secrets whose record was deleted more than <see cref="KeptFor"/> before <paramref name="now"/>, or is not deleted; returns how many.</summary>
    public int Purge(DateTimeOffset now)
    {
        var purged = 0;
        foreach (var reference in vault.List().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).ToList())
        {
            var id = reference[Prefix.Length..];
            var deleted = codex.ChangeOf(id) is { Deleted: true } ? DeletedAt(id) : null;
            if (deleted is { } at && now - at < KeptFor) continue;
            if (vault.Delete(reference)) purged++;
        }
        return purged;
    }

    /// <summary>When the record's latest change (its delete) was made.</summary>
    private DateTimeOffset? DeletedAt(string id)
    {
        try
        {
            return codex.History(id) is [{ } latest, ..] ? latest.At : null;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _hourly?.Change(Timeout.Infinite, Timeout.Infinite);
        return Task.CompletedTask;
    }

    public void Dispose() => _hourly?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} secret(s) kept for the undo of a deleted record were removed from the vault: their undo time is over")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the secrets kept for undo: {Reason}")]
    private partial void LogFailed(string reason);
}
