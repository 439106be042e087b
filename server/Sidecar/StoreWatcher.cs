using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Sidecar;

/// <summary>
/// Tells the client of records another process changed in the shared store (the command line, another window):
/// <c>codex/changed</c>, with the record's view, for every record changed or deleted and every chat or task whose
/// transcript moved. Once a second it asks SQLite's <c>PRAGMA data_version</c>, which moves only when another
/// connection committed; then it reads which records (their history) and transcripts changed since the last look.
/// Chats and tasks this process is running tell their own changes. The home's files that provider instances are shown
/// from (the tests' log, the vault's keys) are not in the store: when one of them changes, every instance whose key or
/// last test it changed is told too, so a key set or a test run by the command line shows; a change this sidecar wrote
/// itself (the file is as <see cref="AtomicFile"/> left it here) was told by its own request and is not told again.
/// </summary>
public sealed partial class StoreWatcher(WorkspaceContext workspace, Database database, CodexService codex, JsonRpcPeer peer, ILogger<StoreWatcher> logger,
    Plue.Instances.InstanceService instances) : BackgroundService
{
    /// <summary>The home's files an instance's view is read from besides its record (its last test, whether its key is there).</summary>
    private static readonly string[] s_instanceFiles = [Plue.Instances.InstanceTestLog.FileName, Plue.Vault.FileVault.FileName];

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

    /// <summary>An instance record changed (here or elsewhere) since the instances' keys and tests were last noted.</summary>
    private volatile bool _instancesMoved;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        codex.Changed += change =>
        {
            _toldHere[change.Id] = Stamp(change);
            if (change.Kind == Plue.Instances.InstanceFields.TemplateId) _instancesMoved = true;
        };
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
            var files = FileStamps();
            // Read at the first change, not here: the instances' views read the user's catalog files, which wait for
            // their first use. Until then an instance counts as new, told when the change gave it a test.
            var views = new Dictionary<string, string>(StringComparer.Ordinal);
            var viewsRead = false;
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                if (FileStamps() is var stamps && !stamps.SequenceEqual(files))
                {
                    var changed = s_instanceFiles.Where((_, i) => stamps[i] != files[i]).Select(name => Path.Combine(workspace.Home, name)).ToList();
                    files = stamps;
                    _instancesMoved = false;
                    // This sidecar's own write (a test or a key of the window's) was told by the request that made it: told
                    // again, the window redraws the row under the user's pointer. The views only follow it.
                    if (changed.All(AtomicFile.WrittenHere))
                    {
                        if (viewsRead) views = InstanceViews();
                    }
                    else
                    {
                        views = await TellInstancesAsync(views).ConfigureAwait(false);
                        viewsRead = true;
                    }
                }
                else if (_instancesMoved)
                {
                    // Instances added, edited or removed: what is told next is compared with them as they are now.
                    _instancesMoved = false;
                    if (viewsRead) views = InstanceViews();
                }
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
        if (change.Kind == Plue.Instances.InstanceFields.TemplateId) _instancesMoved = true;
        if (recordChanged && !toldHere) kind?.ChangedElsewhere(change);
        // A transcript alone: its totals moved (a turn in another window); one running here tells its own.
        else if (!transcriptChanged || change.Record is null || kind?.LiveHere(change.Record) == true) return;
        await peer.NotifyAsync(Contract.CodexChanged, change).ConfigureAwait(false);
    }

    private static long Stamp(CodexChangedParams change) => change.Record?.Version ?? -1;

    /// <summary>The instance files' sizes and times of last write, in the order of the files.</summary>
    private string[] FileStamps() => [.. s_instanceFiles.Select(name => AtomicFile.Stamp(Path.Combine(workspace.Home, name)))];

    /// <summary>What those files give each instance record's view: its key there or not, and its last test (the environment's are not records).</summary>
    private Dictionary<string, string> InstanceViews()
    {
        try
        {
            return instances.List().Where(i => !i.FromEnvironment).ToDictionary(i => i.Id,
                i => $"{i.HasKey}|{(i.LastTest is { } test ? System.Text.Json.JsonSerializer.Serialize(test, PlueJsonContext.Default.InstanceTestResult) : "")}",
                StringComparer.Ordinal);
        }
        catch (Exception e) when (e is RpcException or IOException or UnauthorizedAccessException or SqliteException)
        {
            LogNotTold("the provider instances", e.Message);
            return new(StringComparer.Ordinal);
        }
    }

    /// <summary>Tells the instances whose key or last test a change of the home's files changed; what they are now.</summary>
    private async Task<Dictionary<string, string>> TellInstancesAsync(Dictionary<string, string> before)
    {
        var after = InstanceViews();
        foreach (var (id, view) in after)
        {
            // A new instance is told by its record's change (its key is written just after it), unless tested since.
            if (before.TryGetValue(id, out var was) ? was == view : !view.Contains("|{", StringComparison.Ordinal)) continue;
            if (codex.ChangeOf(id) is { } change) await peer.NotifyAsync(Contract.CodexChanged, change).ConfigureAwait(false);
        }
        return after;
    }

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
