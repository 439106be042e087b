using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Store;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// Tells the client of chats and tasks another process changed in the shared store (the command line, another
/// window), with the same <c>session/updated</c> and <c>task/updated</c> its own changes send. Once a second it asks
/// SQLite's <c>PRAGMA data_version</c>, which moves only when another connection committed; then it reads which
/// records and transcripts changed since the last look. Those this process is running send their own events.
/// </summary>
public sealed partial class StoreWatcher(WorkspaceContext workspace, Database database, SessionService sessions, SessionEvents sessionEvents,
    ActiveTurns activeTurns, TaskRecords tasks, TaskEvents taskEvents, LiveTasks liveTasks, ILogger<StoreWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A row is stamped by its writer before it commits, so the look goes back this far before the last one; a record
    /// told twice is harmless (the client replaces it), one missed would stay stale until the client restarts.
    /// </summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromSeconds(2);

    private const string ChangedSince = """
        SELECT id FROM codices WHERE updated_at >= $since
        UNION SELECT session_id FROM messages WHERE updated_at >= $since
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var initialized = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        workspace.Initialized += () => initialized.TrySetResult();
        await initialized.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await using var connection = database.Open();
            var version = DataVersion(connection);
            var since = Latest(connection);
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = DataVersion(connection);
                if (now == version) continue;
                version = now;
                var latest = Latest(connection);
                var changed = Changed(connection, since - (long)CommitMargin.TotalMilliseconds);
                since = Math.Max(since, latest);
                foreach (var id in changed) await TellAsync(id).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (SqliteException e)
        {
            // Watching is a convenience: without it the client still sees its own changes, and the rest at its next start.
            LogStopped(e.Message);
        }
    }

    private async Task TellAsync(string id)
    {
        try
        {
            if (tasks.Find(id) is not null)
            {
                if (!liveTasks.IsLive(id)) await taskEvents.ChangedAsync(id).ConfigureAwait(false);
                return;
            }
            sessions.Record(id); // throws when the id is no chat (a record of another kind)
            if (!activeTurns.IsActive(id)) await sessionEvents.SessionChangedAsync(id).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // Not a chat or a task, or deleted meanwhile: nothing to tell.
        }
    }

    private static long DataVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }

    private static long Latest(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(coalesce((SELECT max(updated_at) FROM codices), 0), coalesce((SELECT max(updated_at) FROM messages), 0))";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Ids changed at or after <paramref name="since"/>.</summary>
    private static List<string> Changed(SqliteConnection connection, long since)
    {
        var ids = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = ChangedSince;
            command.Parameters.AddWithValue("$since", since);
            using var reader = command.ExecuteReader();
            while (reader.Read()) ids.Add(reader.GetString(0));
        }
        return ids;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped watching the store for other processes' changes: {Reason}")]
    private partial void LogStopped(string reason);
}
