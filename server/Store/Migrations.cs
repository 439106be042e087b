using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Plue.Store;

/// <summary>
/// Versioned schema: each step runs once, in order, and bumps PRAGMA user_version. An upgrade copies the store first
/// (<c>plue.db.v&lt;old&gt;.bak</c>) and runs every step it needs in one transaction, so a crash at any point leaves
/// the old store or the new one, never a half; both are said in the log. A store a newer Plue wrote is refused,
/// unchanged. Never edit a shipped step; add a new one.
/// </summary>
public static partial class Migrations
{
    private static readonly string[] s_steps =
    [
        // 1: codex records, their tags, and the history that makes undo possible.
        """
        CREATE TABLE codices (
            id          TEXT PRIMARY KEY,
            template_id TEXT NOT NULL,
            collection  TEXT NOT NULL,
            slug        TEXT NOT NULL,
            title       TEXT NOT NULL,
            fields      TEXT NOT NULL,
            tags        TEXT NOT NULL,
            parent_id   TEXT,
            spawned_by  TEXT,
            status      TEXT,
            version     INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            UNIQUE (collection, slug)
        );
        CREATE INDEX codices_template ON codices (template_id, updated_at DESC);
        CREATE INDEX codices_updated ON codices (updated_at DESC);
        CREATE INDEX codices_spawned_by ON codices (spawned_by);
        CREATE TABLE codex_tags (
            tag      TEXT NOT NULL,
            codex_id TEXT NOT NULL REFERENCES codices (id) ON DELETE CASCADE,
            PRIMARY KEY (tag, codex_id)
        ) WITHOUT ROWID;
        CREATE TABLE codex_history (
            seq      INTEGER PRIMARY KEY AUTOINCREMENT,
            codex_id TEXT NOT NULL,
            action   TEXT NOT NULL,
            version  INTEGER NOT NULL,
            before   TEXT,
            after    TEXT,
            undone   INTEGER NOT NULL DEFAULT 0,
            at       INTEGER NOT NULL
        );
        CREATE INDEX codex_history_codex ON codex_history (codex_id, seq DESC);
        """,
        // 2: chat and task transcripts: messages and their ordered parts, appended as they stream.
        """
        CREATE TABLE messages (
            id          TEXT PRIMARY KEY,
            session_id  TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            role        TEXT NOT NULL,
            status      TEXT NOT NULL,
            error       TEXT,
            model_id    TEXT,
            instance_id TEXT,
            usage       TEXT,
            cost_usd    REAL,
            owner       TEXT,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            UNIQUE (session_id, seq)
        );
        CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
        CREATE TABLE parts (
            id         TEXT PRIMARY KEY,
            message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            text       TEXT NOT NULL DEFAULT '',
            data       TEXT,
            UNIQUE (message_id, seq)
        );
        """,
        // 3: where each answer's cost came from, and which messages a fork copied (their cost was paid in the source chat).
        """
        ALTER TABLE messages ADD COLUMN cost_source TEXT;
        ALTER TABLE messages ADD COLUMN copied_from TEXT;
        """,
        // 4: a transcript's running totals and version, kept by triggers in the same transaction as every write (any
        // process's), so a chat's usage is one row and a changed transcript is found without reading it.
        TranscriptTotals.Step,
        // 5: the instances and models that failed before a fallback answered (JSON), on the answer.
        "ALTER TABLE messages ADD COLUMN fallback_from TEXT;",
        // 6: the messages a user sent while a chat answered, waiting for the turn to end (or a steer), in order; kept
        // across a restart of the sidecar. Attachments as the wire's JSON.
        """
        CREATE TABLE queued_messages (
            id              TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL,
            seq             INTEGER NOT NULL,
            text            TEXT NOT NULL,
            attachments     TEXT,
            created_at      INTEGER NOT NULL
        );
        CREATE INDEX queued_messages_conversation ON queued_messages (conversation_id, seq);
        """,
        // 7: full-text search (FTS5) over records' titles and transcripts' text, built from what is there and kept by
        // triggers in the same transaction as every write (any process's). A message's text is indexed once it stops
        // streaming (a streamed part grows by appends; indexing each would cost a growing rewrite per flush).
        SearchIndex.Step,
        // 8: streamed text as chunks of their own, folded into the part when its message stops streaming.
        PartChunks.Step,
    ];

    public static int Latest => s_steps.Length;

    /// <param name="upTo">The last step to apply (tests build an older store with it); all by default.</param>
    /// <param name="logger">Where an upgrade is said: the copy kept before it, and its end.</param>
    public static void Apply(SqliteConnection connection, int? upTo = null, ILogger? logger = null)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        var current = UserVersion(connection);
        if (current > s_steps.Length) throw Newer(connection.DataSource, current);
        var target = upTo ?? s_steps.Length;
        if (current >= target) return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (current > 0 && Backup(connection, current, target))
        {
            var pruned = PruneBackups(connection.DataSource);
            if (logger is not null) LogUpgrading(logger, connection.DataSource, current, target, BackupPath(connection.DataSource, current), KeptBackups, pruned);
        }
        // BEGIN IMMEDIATE: one migrator at a time across processes. Another (a second window, the command line) may
        // have migrated while this one waited for the lock, so the version is read again inside: creating what it
        // created ended this process's store watcher with "table codices already exists".
        using var transaction = connection.BeginTransaction(deferred: false);
        current = UserVersion(connection, transaction);
        if (current > s_steps.Length) throw Newer(connection.DataSource, current);
        for (var step = current; step < target; step++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = s_steps[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        if (current > 0 && current < target && logger is not null)
            LogUpgraded(logger, connection.DataSource, target, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgrading {Store} from store version {From} to {To}: a copy of it as it was is kept as {Backup} (the last {Kept} copies are kept; {Pruned} older removed)")]
    private static partial void LogUpgrading(ILogger logger, string store, int from, int to, string backup, int kept, int pruned);

    /// <summary>How many copies made before upgrades are kept beside the store: the newest ones; older ones are deleted.</summary>
    public const int KeptBackups = 3;

    /// <summary>Deletes all but the <see cref="KeptBackups"/> copies of the newest store versions; how many it deleted.</summary>
    private static int PruneBackups(string store)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(store))!;
        var name = Path.GetFileName(store);
        var copies = Directory.EnumerateFiles(folder, $"{name}.v*.bak")
            .Select(path => (Path: path, Version: int.TryParse(Path.GetFileName(path)[(name.Length + 2)..^4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(c => c.Version >= 0)
            .OrderByDescending(c => c.Version)
            .Skip(KeptBackups);
        var pruned = 0;
        foreach (var (path, _) in copies)
        {
            try
            {
                File.Delete(path);
                pruned++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Kept: it is only a copy, and the next upgrade tries again.
            }
        }
        return pruned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgraded {Store} to store version {To} in {Ms} ms")]
    private static partial void LogUpgraded(ILogger logger, string store, int to, long ms);

    /// <summary>Where the copy made before upgrading a store from <paramref name="version"/> goes.</summary>
    public static string BackupPath(string store, int version) => $"{store}.v{version}.bak";

    /// <summary>A consistent copy of the store as it is (WAL included), private to the user, before it is upgraded.</summary>
    private static bool Backup(SqliteConnection connection, int version, int target)
    {
        var path = BackupPath(connection.DataSource, version);
        // Written aside and renamed: a copy under its name is whole (a kill mid-copy leaves only the part, replaced next time).
        var part = $"{path}.{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.part";
        try
        {
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = part, Pooling = false }.ToString()))
            {
                copy.Open();
                connection.BackupDatabase(copy);
                // Another window or the command line upgraded the store after its version was read: the copy is of the
                // new store, and the other one kept the old.
                if (UserVersion(copy) != version) return Discard(part);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(part, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(part, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // No copy, no upgrade: the store stays as it was, readable by the Plue that wrote it.
            Discard(part);
            throw Protocol.PlueErrors.Conflict(
                $"Plue could not keep a copy of your chats and tasks ({connection.DataSource}) as {path} before upgrading them to store version {target} " +
                $"({e.Message.TrimEnd('.')}), so nothing was changed. Free some space on that disk or let Plue write in that folder " +
                "(a folder or a read-only file in the way of the copy), then open Plue again.");
        }
    }

    private static bool Discard(string part)
    {
        try
        {
            File.Delete(part);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left as a .part, never taken for a copy.
        }
        return false;
    }

    /// <summary>The refusal of a store a newer Plue wrote: what happened and what to do, in the user's words; nothing is changed.</summary>
    private static Rpc.RpcException Newer(string store, int version)
    {
        var data = $"{{\"store\":\"{System.Text.Json.JsonEncodedText.Encode(store)}\",\"version\":{version},\"readsUpTo\":{s_steps.Length}}}";
        return new(Protocol.PlueErrorCodes.StoreNewer,
            $"Your chats and tasks ({store}) were saved by a newer version of Plue (store version {version}; this one reads up to {s_steps.Length}). " +
            "Nothing was changed. Update Plue to open them, or export them with the newer Plue (plue sessions export --all) and import that file here.",
            System.Text.Json.JsonDocument.Parse(data).RootElement.Clone());
    }

    public static int UserVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
