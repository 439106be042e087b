using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Transcripts;

/// <summary>
/// At start, marks messages (of chats and tasks) left streaming by a sidecar that died as interrupted: their text
/// is kept. A message still streaming in another live window's sidecar is left alone.
/// </summary>
internal sealed partial class TranscriptRecovery(MessageStore messages, WorkspaceContext session, ILogger<TranscriptRecovery> logger) : IHostedService
{
    // The store's location is known only after initialize.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.Initialized += () =>
        {
            // Held before any row is written under this sidecar's id, for as long as it runs.
            try
            {
                Processes.SidecarOwner.Hold(session.Home);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogRecoveryFailed(e.Message);
                return;
            }
            // It blocks on the store: not on the pool.
            StartWork.Run("plue transcript sweep", Recover, e => LogRecoveryFailed(e.Message));
        };
        return Task.CompletedTask;
    }

    public void Recover()
    {
        try
        {
            var count = messages.MarkInterrupted(owner => TranscriptOwner.IsAlive(owner, session.Home));
            if (count > 0) LogRecovered(count);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            LogRecoveryFailed(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} message(s) left streaming by a stopped sidecar are marked interrupted")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for interrupted messages: {Reason}")]
    private partial void LogRecoveryFailed(string reason);
}
