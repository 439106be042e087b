using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// Tells the client of records another process changed in the shared store (the command line, another window):
/// <c>codex/changed</c>, with the record's view, for every record changed or deleted and every chat or task whose
/// transcript moved. Once a second it asks SQLite's <c>PRAGMA data_version</c>, which moves only when another
/// connection committed; then it reads which records (their history) and transcripts changed since the last look.
/// Chats and tasks this process is running tell their own changes.
/// </summary>
public sealed partial class StoreWatcher(WorkspaceContext workspace, Database database, CodexService codex, JsonRpcPeer peer, ILogger<StoreWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A row is stamped by its writer before it commits, so the look goes back this far before the last one; a record
    /// told twice is harmless (the client replaces it), one missed would stay stale until the client restarts.
    /// </summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromSeconds(2);

    /// <summary>Transcripts written since a time (a message is stamped before its writer commits).</summary>
    private const string TranscriptsSince = "SELECT DISTINCT session_id FROM messages WHERE updated_at >= $since";

    /// <summary>Records changed, deletes too, after a history entry: entries are numbered in commit order, so none is missed.</summary>
    private const string RecordsAfter = "SELECT codex_id, seq FROM codex_history WHERE seq > $seq ORDER BY seq";

    /// <summary>The version of each record this process told itself (-1 for a delete): its own commits move
    /// <c>data_version</c> too (each request opens its own connection), and are not told again.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _toldHere = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        codex.Changed += change => _toldHere[change.Id] = Stamp(change);
        // The first look goes back to when the client initialized, less the commit margin: the watcher may start (and
        // subscribe) seconds later on a busy machine, and a change another process committed in between must still be
        // told (twice is harmless). The time is the workspace's, not the moment this handler runs.
        var initialized = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        workspace.Initialized += () => initialized.TrySetResult(workspace.InitializedAtMs - (long)CommitMargin.TotalMilliseconds);
        var from = await initialized.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await using var connection = database.Open();
            var version = DataVersion(connection) - 1;
            var since = Math.Min(from, Scalar(connection, "SELECT coalesce(max(updated_at), 0) FROM messages"));
            var seq = Scalar(connection, $"SELECT coalesce(max(seq), 0) FROM codex_history WHERE at < {from.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            // Stopping disposes the timer, which ends the loop: a cancelled tick would throw with its stack trace
            // formatted, and the first trace formatted in a Native AOT process reads every method's name (~20 ms of CPU at exit).
            using var timer = new PeriodicTimer(Interval);
            using var stop = stoppingToken.Register(timer.Dispose);
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                var now = DataVersion(connection);
                if (now == version) continue;
                version = now;
                var latest = Scalar(connection, "SELECT coalesce(max(updated_at), 0) FROM messages");
                var transcripts = Ids(connection, TranscriptsSince, "$since", since - (long)CommitMargin.TotalMilliseconds, out _);
                var records = Ids(connection, RecordsAfter, "$seq", seq, out var lastSeq);
                since = Math.Max(since, latest);
                seq = Math.Max(seq, lastSeq);
                await TellAllAsync(records, transcripts).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SqliteException or RpcException)
        {
            // Watching is a convenience: without it the client still sees its own changes, and the rest at its next start.
            LogStopped(e.Message);
        }
    }

    /// <summary>Tells each changed record and transcript; one that cannot be read (listed as unreadable) does not keep the others from being told.</summary>
    private async Task TellAllAsync(HashSet<string> records, HashSet<string> transcripts)
    {
        foreach (var id in records.Union(transcripts))
        {
            try
            {
                await TellAsync(id, records.Contains(id), transcripts.Contains(id)).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.Code == PlueErrorCodes.Conflict)
            {
                LogNotTold(id, e.Message);
            }
        }
    }

    /// <summary>
    /// Tells a record another connection changed, or whose transcript it wrote, as <c>codex/changed</c> with its view as
    /// it is now; what else the change means here is its kind's (<see cref="IRecordKind.ChangedElsewhere"/>).
    /// </summary>
    private async Task TellAsync(string id, bool recordChanged, bool transcriptChanged)
    {
        if (codex.ChangeOf(id) is not { } change) return;
        var kind = codex.KindOf(change.TemplateId);
        var toldHere = _toldHere.TryGetValue(id, out var stamp) && stamp == Stamp(change);
        if (recordChanged && !toldHere) kind?.ChangedElsewhere(change);
        // A transcript alone: its totals moved (a turn in another window); one running here tells its own.
        else if (!transcriptChanged || change.Record is null || kind?.LiveHere(change.Record) == true) return;
        await peer.NotifyAsync(Contract.CodexChanged, change).ConfigureAwait(false);
    }

    private static long Stamp(CodexChangedParams change) => change.Record?.Version ?? -1;

    private static long DataVersion(SqliteConnection connection) => Scalar(connection, "PRAGMA data_version");

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The distinct ids a query finds (in order), and the largest number in its second column, if it has one.</summary>
    private static HashSet<string> Ids(SqliteConnection connection, string sql, string parameter, long value, out long largest)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        largest = 0;
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter, value);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
            if (reader.FieldCount > 1) largest = Math.Max(largest, reader.GetInt64(1));
        }
        return ids;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another process changed {Id}, which cannot be told: {Reason}")]
    private partial void LogNotTold(string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped watching the store for other processes' changes: {Reason}")]
    private partial void LogStopped(string reason);
}
