using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Store;

namespace Plue.Transcripts;

/// <summary>
/// Messages and parts in SQLite, keyed by their session (or task) codex id. Streamed text is stored as chunks
/// (<see cref="PartChunks"/>), folded into the part when its message stops streaming: never by rewriting a growing
/// row or JSON document.
/// </summary>
public sealed class MessageStore(Database database, IMeterFactory meters)
{
    private const string MessageColumns = "m.id, m.session_id, m.seq, m.role, m.status, m.error, m.model_id, m.instance_id, m.usage, m.cost_usd, m.created_at, m.cost_source, m.fallback_from";
    /// <summary>Where a row's part columns begin, after <see cref="MessageColumns"/>.</summary>
    private const int PartsAt = 13;
    private readonly TranscriptCache _cache = new();
    private readonly MessageReadCounter _reads = new(meters);

    public void InsertMessage(SessionMessage message, string? owner)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction,
            "INSERT INTO messages (id, session_id, seq, role, status, error, model_id, instance_id, usage, cost_usd, owner, created_at, updated_at) " +
            "VALUES ($id, $s, $seq, $role, $status, $err, $model, $inst, $usage, $cost, $owner, $at, $at)",
            ("$id", message.Id), ("$s", message.SessionId), ("$seq", message.Seq), ("$role", StoredNames.Of(message.Role)), ("$status", StoredNames.Of(message.Status)),
            ("$err", message.Error), ("$model", message.ModelId), ("$inst", message.InstanceId), ("$usage", UsageJson(message.Usage)),
            ("$cost", message.CostUsd), ("$owner", owner), ("$at", message.CreatedAt.ToUnixTimeMilliseconds()));
        for (var i = 0; i < message.Parts.Count; i++) InsertPart(connection, transaction, message.Id, i, message.Parts[i]);
        transaction.Commit();
    }

    public void InsertPart(string messageId, int seq, MessagePart part)
    {
        using var connection = database.Open();
        InsertPart(connection, null, messageId, seq, part);
    }

    /// <summary>Replaces a part's fields (its text too), e.g. a tool call that finished.</summary>
    public void UpdatePart(MessagePart part)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        // Its streamed chunks are part of the text it replaces.
        Execute(connection, transaction, "DELETE FROM part_chunks WHERE part_id = $id", ("$id", part.Id));
        Execute(connection, transaction, "UPDATE parts SET text = $text, data = $data WHERE id = $id",
            ("$id", part.Id), ("$text", PartText.Of(part) ?? ""), ("$data", DataJson(part)));
        transaction.Commit();
    }

    /// <summary>The writer of what streaming turns queue (new parts, appended text): each batch in order and in one transaction.</summary>
    internal StreamedBatches StreamedWrites() => new(database);

    /// <summary>
    /// One connection for the batches of a stretch of streaming (<see cref="TranscriptWriter"/> commits one every tens of
    /// ms), its append statement prepared once: opening a pooled connection runs the store's pragmas and every
    /// statement is parsed anew, which cost as much as the batch's own write. Released when the stream goes quiet, so
    /// an idle sidecar holds no connection (the idle trim empties the pool).
    /// </summary>
    internal sealed class StreamedBatches(Database database) : IDisposable
    {
        private SqliteConnection? _connection;
        // BEGIN and COMMIT prepared once too: the connection's own BeginTransaction and Commit parse them for every batch.
        private SqliteCommand? _begin, _commit, _rollback, _append;
        private SqliteParameter? _id, _delta;

        public void Write(IReadOnlyList<StreamedWrite> writes)
        {
            if (_connection is null)
            {
                _connection = database.Open();
                _begin = Command("BEGIN IMMEDIATE");
                _commit = Command("COMMIT");
                _rollback = Command("ROLLBACK");
                _append = Command(PartChunks.Append);
                _id = _append.Parameters.Add("$id", SqliteType.Text);
                _delta = _append.Parameters.Add("$d", SqliteType.Text);
            }
            try
            {
                _begin!.ExecuteNonQuery();
                foreach (var write in writes)
                {
                    if (write.NewPart is { } part)
                    {
                        InsertPart(_connection, null, write.MessageId!, write.PartSeq, part);
                        continue;
                    }
                    _id!.Value = write.PartId;
                    _delta!.Value = write.Text!.ToString();
                    _append!.ExecuteNonQuery();
                }
                _commit!.ExecuteNonQuery();
            }
            catch
            {
                try
                {
                    // A manual BEGIN is not the connection's to undo: left open, it would go back to the pool with it.
                    if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0) _rollback!.ExecuteNonQuery();
                }
                finally
                {
                    Dispose(); // the next batch starts on a fresh connection
                }
                throw;
            }
        }

        private SqliteCommand Command(string sql)
        {
            var command = _connection!.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        /// <summary>Gives the connection back; the next <see cref="Write"/> takes one again.</summary>
        public void Dispose()
        {
            foreach (var command in (SqliteCommand?[])[_begin, _commit, _rollback, _append]) command?.Dispose();
            _connection?.Dispose();
            (_begin, _commit, _rollback, _append, _connection, _id, _delta) = (null, null, null, null, null, null, null);
        }
    }

    /// <param name="answeredBy">The instance and model of a fallback that answered, with what failed before it; null keeps the message's own.</param>
    public void Finish(string messageId, MessageStatus status, string? error, TokenUsage? usage, decimal? costUsd, CostSource source, string? modelId,
        (string InstanceId, string ModelId, IReadOnlyList<FallbackAttempt> Failed)? answeredBy = null)
    {
        using var connection = database.Open();
        Execute(connection, null,
            "UPDATE messages SET status = $status, error = $err, usage = $usage, cost_usd = $cost, cost_source = $source, model_id = COALESCE($model, model_id), " +
            "instance_id = COALESCE($instance, instance_id), fallback_from = $fallback, owner = NULL, updated_at = $at WHERE id = $id",
            ("$id", messageId), ("$status", StoredNames.Of(status)), ("$err", error), ("$usage", UsageJson(usage)), ("$cost", costUsd), ("$source", StoredNames.Of(source)),
            ("$model", answeredBy?.ModelId ?? modelId), ("$instance", answeredBy?.InstanceId),
            ("$fallback", answeredBy is { } by ? JsonSerializer.Serialize(by.Failed, PlueJsonContext.Default.IReadOnlyListFallbackAttempt) : null),
            ("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    /// <summary>Hides messages from the transcript without losing them (regenerate, edit).</summary>
    public void Supersede(string sessionId, int fromSeq)
    {
        using var connection = database.Open();
        Execute(connection, null, "UPDATE messages SET status = 'superseded', owner = NULL WHERE session_id = $s AND seq >= $seq AND status <> 'superseded'",
            ("$s", sessionId), ("$seq", fromSeq));
    }

    public int NextSeq(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq) + 1, 0) FROM messages WHERE session_id = $s";
        command.Parameters.AddWithValue("$s", sessionId);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The transcript in order, with parts; superseded messages only when asked. The live transcript comes from
    /// <see cref="TranscriptCache"/>, brought up to the store's version by reading only the messages changed since.
    /// </summary>
    /// <param name="cancellationToken">Stops a long read between rows (it is then neither returned nor cached).</param>
    public List<SessionMessage> Messages(string sessionId, bool includeSuperseded = false, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        if (includeSuperseded) return Read(connection, null, sessionId, sinceRev: null, includeSuperseded: true, cancellationToken);
        // One read snapshot: the version and the rows read for it agree.
        using var transaction = connection.BeginTransaction(deferred: true);
        var version = Version(connection, transaction, sessionId);
        if (version is null) return [];
        if (_cache.Find(sessionId) is { } cached && cached.Version <= version)
        {
            if (cached.Version == version) return [.. cached.Messages];
            var changed = Read(connection, transaction, sessionId, sinceRev: cached.Version, includeSuperseded: true, cancellationToken);
            return [.. _cache.Put(sessionId, version.Value, TranscriptCache.Merge(cached.Messages, changed)).Messages];
        }
        return [.. _cache.Put(sessionId, version.Value, Read(connection, transaction, sessionId, sinceRev: null, includeSuperseded: false, cancellationToken)).Messages];
    }

    private List<SessionMessage> Read(SqliteConnection connection, SqliteTransaction? transaction, string sessionId, long? sinceRev, bool includeSuperseded,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"SELECT {MessageColumns}, p.id, p.kind, {PartChunks.PartText}, p.data FROM messages m LEFT JOIN parts p ON p.message_id = m.id " +
            $"WHERE m.session_id = $s {(includeSuperseded ? "" : "AND m.status <> 'superseded'")} {(sinceRev is null ? "" : "AND m.rev > $rev")} ORDER BY m.seq, p.seq";
        command.Parameters.AddWithValue("$s", sessionId);
        if (sinceRev is { } rev) command.Parameters.AddWithValue("$rev", rev);
        var messages = new List<SessionMessage>();
        ReadMessages(command, messages, cancellationToken);
        _reads.Add(messages.Count);
        return messages;
    }

    /// <summary>The transcript's version: it moves on every change to its messages or parts, by any process; null for no transcript.</summary>
    private static long? Version(SqliteConnection connection, SqliteTransaction? transaction, string sessionId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM transcripts WHERE session_id = $s";
        command.Parameters.AddWithValue("$s", sessionId);
        return command.ExecuteScalar() is long version ? version : null;
    }

    // Rows are messages joined to their parts, ordered by message then part.
    private static void ReadMessages(SqliteCommand command, List<SessionMessage> messages, CancellationToken cancellationToken = default)
    {
        using var reader = command.ExecuteReader();
        List<MessagePart>? parts = null;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = reader.GetString(0);
            if (messages.Count == 0 || messages[^1].Id != id)
            {
                parts = [];
                messages.Add(ReadMessage(reader, parts));
            }
            if (!reader.IsDBNull(PartsAt)) parts!.Add(ReadPart(reader, PartsAt));
        }
    }

    /// <summary>
    /// The latest <paramref name="limit"/> live messages before <paramref name="beforeSeq"/>, oldest first, and whether
    /// older ones exist. The messages are found through the (session_id, seq) index read backwards; parts are read for the page only.
    /// </summary>
    public (List<SessionMessage> Messages, bool HasMore) Page(string sessionId, int? limit, int? beforeSeq)
    {
        using var connection = database.Open();
        var messages = new List<SessionMessage>(Math.Min(limit ?? 64, 1024));
        using (var command = connection.CreateCommand())
        {
            command.CommandText = PageSql;
            command.Parameters.AddWithValue("$s", sessionId);
            command.Parameters.AddWithValue("$before", beforeSeq ?? int.MaxValue);
            command.Parameters.AddWithValue("$limit", limit ?? -1); // -1: no limit
            ReadMessages(command, messages);
        }
        if (limit is null || messages.Count == 0) return (messages, false);
        using var older = connection.CreateCommand();
        older.CommandText = OlderExistSql;
        older.Parameters.AddWithValue("$s", sessionId);
        older.Parameters.AddWithValue("$before", messages[0].Seq);
        return (messages, Convert.ToInt64(older.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0);
    }

    internal const string PageSql =
        $"SELECT {MessageColumns}, p.id, p.kind, {PartChunks.PartText}, p.data FROM " +
        "(SELECT * FROM messages WHERE session_id = $s AND seq < $before AND status <> 'superseded' ORDER BY seq DESC LIMIT $limit) m " +
        "LEFT JOIN parts p ON p.message_id = m.id ORDER BY m.seq, p.seq";

    internal const string OlderExistSql =
        "SELECT EXISTS (SELECT 1 FROM messages WHERE session_id = $s AND seq < $before AND status <> 'superseded')";

    public SessionMessage? Message(string messageId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MessageColumns}, p.id, p.kind, {PartChunks.PartText}, p.data FROM messages m LEFT JOIN parts p ON p.message_id = m.id WHERE m.id = $id ORDER BY p.seq";
        command.Parameters.AddWithValue("$id", messageId);
        using var reader = command.ExecuteReader();
        SessionMessage? message = null;
        var parts = new List<MessagePart>();
        while (reader.Read())
        {
            message ??= ReadMessage(reader, parts);
            if (!reader.IsDBNull(PartsAt)) parts.Add(ReadPart(reader, PartsAt));
        }
        return message;
    }

    /// <summary>
    /// What a session's answers spent, and its live message count and context fill. Spent counts every answer paid in
    /// this session: those an edit or a regenerate replaced too (money spent stays spent), and not the copies a fork
    /// took from its source (that money was spent there). The context fill is the latest live answer's prompt tokens.
    /// These are the running totals the store keeps (<c>transcripts</c>, see <see cref="Store.TranscriptTotals"/>), not a sum over the messages.
    /// </summary>
    public (CostTotal Spent, int Count, long ContextTokens) Totals(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT live, input, output, cache_read, cache_write, reasoning, cost_pico, {string.Join(", ", TranscriptTotals.CostSources.Select(s => $"src_{s}"))} FROM transcripts WHERE session_id = $s;" +
            "SELECT json_extract(usage, '$.input') FROM messages WHERE session_id = $s AND role = 'assistant' AND status <> 'superseded' " +
            "AND usage IS NOT NULL AND json_extract(usage, '$.input') > 0 ORDER BY seq DESC LIMIT 1";
        command.Parameters.AddWithValue("$s", sessionId);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return (CostTotal.None, 0, 0);
        var usage = new TokenUsage { Input = reader.GetInt64(1), Output = reader.GetInt64(2), CacheRead = reader.GetInt64(3), CacheWrite = reader.GetInt64(4), Reasoning = reader.GetInt64(5) };
        var sources = Enum.GetValues<CostSource>().Where(source => reader.GetInt64(reader.GetOrdinal($"src_{StoredNames.Of(source)}")) > 0);
        var spent = CostTotal.Of(usage, reader.GetInt64(6) / 1_000_000_000_000m, sources);
        var count = reader.GetInt32(0);
        reader.NextResult();
        return (spent, count, reader.Read() ? reader.GetInt64(0) : 0);
    }

    /// <summary>
    /// The tokens (input and output) of the answers with no known cost paid in these sessions, counted as
    /// <see cref="Totals"/> counts them: replaced answers too, a fork's copies not.
    /// </summary>
    public long UnpricedTokens(IReadOnlyList<string> sessionIds)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(coalesce(json_extract(usage, '$.input'), 0) + coalesce(json_extract(usage, '$.output'), 0)), 0) FROM messages " +
            $"WHERE session_id IN ({string.Join(", ", sessionIds.Select((_, i) => $"$s{i}"))}) AND role = 'assistant' AND usage IS NOT NULL AND copied_from IS NULL AND cost_usd IS NULL";
        for (var i = 0; i < sessionIds.Count; i++) command.Parameters.AddWithValue($"$s{i}", sessionIds[i]);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many live (not superseded) messages of this role the session has: for a task, its model turns.</summary>
    public int Count(string sessionId, MessageRole role)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM messages WHERE session_id = $s AND role = $role AND status <> 'superseded'";
        command.Parameters.AddWithValue("$s", sessionId);
        command.Parameters.AddWithValue("$role", StoredNames.Of(role));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Who is streaming into the session now, as the store says: the owners of its streaming messages.</summary>
    public IReadOnlyList<string> StreamingOwners(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT owner FROM messages WHERE session_id = $s AND status = 'streaming' AND owner IS NOT NULL";
        command.Parameters.AddWithValue("$s", sessionId);
        using var reader = command.ExecuteReader();
        var owners = new List<string>();
        while (reader.Read()) owners.Add(reader.GetString(0));
        return owners;
    }

    /// <summary>Marks messages left streaming by processes that are gone; returns how many.</summary>
    public int MarkInterrupted(Func<string, bool> ownerAlive)
    {
        using var connection = database.Open();
        var orphans = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, owner FROM messages WHERE status = 'streaming'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                if (reader.IsDBNull(1) || !ownerAlive(reader.GetString(1))) orphans.Add(reader.GetString(0));
        }
        foreach (var id in orphans)
            Execute(connection, null, "UPDATE messages SET status = 'interrupted', error = 'The sidecar stopped while this message was streaming; the text so far is kept.', owner = NULL WHERE id = $id", ("$id", id));
        return orphans.Count;
    }

    public void CopyMessages(string fromSession, string toSession, int uptoSeq)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = new List<(string Old, string New)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT id FROM messages WHERE session_id = $s AND seq <= $seq AND status <> 'superseded' ORDER BY seq";
            select.Parameters.AddWithValue("$s", fromSession);
            select.Parameters.AddWithValue("$seq", uptoSeq);
            using var reader = select.ExecuteReader();
            while (reader.Read()) ids.Add((reader.GetString(0), Guid.CreateVersion7().ToString()));
        }
        var seq = 0;
        foreach (var (old, fresh) in ids)
        {
            Execute(connection, transaction,
                "INSERT INTO messages (id, session_id, seq, role, status, error, model_id, instance_id, usage, cost_usd, cost_source, fallback_from, copied_from, owner, created_at, updated_at) " +
                "SELECT $new, $to, $seq, role, CASE status WHEN 'streaming' THEN 'interrupted' ELSE status END, error, model_id, instance_id, usage, cost_usd, cost_source, fallback_from, " +
                "COALESCE(copied_from, id), NULL, created_at, $now FROM messages WHERE id = $old",
                ("$new", fresh), ("$to", toSession), ("$seq", seq++), ("$now", now), ("$old", old));
            Execute(connection, transaction,
                $"INSERT INTO parts (id, message_id, seq, kind, text, data) SELECT $prefix || p.id, $new, p.seq, p.kind, p.text || {PartChunks.Chunks}, p.data FROM parts p WHERE p.message_id = $old",
                ("$prefix", fresh[..8] + "-"), ("$new", fresh), ("$old", old));
        }
        transaction.Commit();
    }

    /// <summary>The messages of a session a fork copied: their id → the message first paid for (an export keeps it, so costs count where they were paid).</summary>
    public Dictionary<string, string> CopiedFrom(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, copied_from FROM messages WHERE session_id = $s AND copied_from IS NOT NULL";
        command.Parameters.AddWithValue("$s", sessionId);
        using var reader = command.ExecuteReader();
        var copied = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read()) copied[reader.GetString(0)] = reader.GetString(1);
        return copied;
    }

    /// <summary>
    /// Writes an imported message whole (its costs, fallbacks and copy origin kept) inside the import's transaction, under
    /// <paramref name="sessionId"/>, with <paramref name="id"/> and its parts' ids from <paramref name="partId"/>. One
    /// that was streaming when exported is written interrupted: nothing here will finish it.
    /// </summary>
    internal static void Import(SqliteConnection connection, SqliteTransaction transaction, string sessionId, string id, SessionMessage message, string? copiedFrom,
        Func<string, string> partId)
    {
        var status = message.Status == MessageStatus.Streaming ? MessageStatus.Interrupted : message.Status;
        Execute(connection, transaction,
            "INSERT INTO messages (id, session_id, seq, role, status, error, model_id, instance_id, usage, cost_usd, cost_source, fallback_from, copied_from, owner, created_at, updated_at) " +
            "VALUES ($id, $s, $seq, $role, $status, $err, $model, $inst, $usage, $cost, $source, $fallback, $copied, NULL, $at, $at)",
            ("$id", id), ("$s", sessionId), ("$seq", message.Seq), ("$role", StoredNames.Of(message.Role)), ("$status", StoredNames.Of(status)),
            ("$err", message.Error), ("$model", message.ModelId), ("$inst", message.InstanceId), ("$usage", UsageJson(message.Usage)), ("$cost", message.CostUsd),
            ("$source", message.CostSource is { } source ? StoredNames.Of(source) : null),
            ("$fallback", message.FallbackFrom is { } failed ? JsonSerializer.Serialize(failed, PlueJsonContext.Default.IReadOnlyListFallbackAttempt) : null),
            ("$copied", copiedFrom), ("$at", message.CreatedAt.ToUnixTimeMilliseconds()));
        for (var i = 0; i < message.Parts.Count; i++) InsertPart(connection, transaction, id, i, message.Parts[i] with { Id = partId(message.Parts[i].Id) });
    }

    /// <summary>Whether a message or part row holds this id, as the import's transaction sees it.</summary>
    internal static bool Exists(SqliteConnection connection, SqliteTransaction transaction, string table, string id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {(table == "parts" ? "parts" : "messages")} WHERE id = $id)";
        command.Parameters.AddWithValue("$id", id);
        return (long)command.ExecuteScalar()! != 0;
    }

    private static void InsertPart(SqliteConnection connection, SqliteTransaction? transaction, string messageId, int seq, MessagePart part) =>
        Execute(connection, transaction, "INSERT INTO parts (id, message_id, seq, kind, text, data) VALUES ($id, $m, $seq, $kind, $text, $data)",
            ("$id", part.Id), ("$m", messageId), ("$seq", seq), ("$kind", StoredNames.Of(part.Kind)), ("$text", PartText.Of(part) ?? ""), ("$data", DataJson(part)));

    private static SessionMessage ReadMessage(SqliteDataReader r, List<MessagePart> parts)
    {
        var role = StoredNames.Role(r.GetString(3));
        var status = r.GetString(4);
        var costKnown = !r.IsDBNull(9);
        return new()
        {
            Id = r.GetString(0),
            SessionId = r.GetString(1),
            Seq = r.GetInt32(2),
            Role = role,
            Status = StoredNames.Status(status),
            Error = r.IsDBNull(5) ? null : r.GetString(5),
            ModelId = r.IsDBNull(6) ? null : r.GetString(6),
            InstanceId = r.IsDBNull(7) ? null : r.GetString(7),
            Usage = r.IsDBNull(8) ? null : JsonSerializer.Deserialize(r.GetString(8), PlueJsonContext.Default.TokenUsage),
            CostUsd = costKnown ? (decimal)r.GetDouble(9) : null,
            CostSource = status == "streaming" ? null : StoredNames.Source(r.IsDBNull(11) ? null : r.GetString(11), costKnown, role == MessageRole.Assistant),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
            FallbackFrom = r.IsDBNull(12) ? null : JsonSerializer.Deserialize(r.GetString(12), PlueJsonContext.Default.IReadOnlyListFallbackAttempt),
            Parts = parts,
        };
    }

    private static MessagePart ReadPart(SqliteDataReader r, int at)
    {
        var text = r.GetString(at + 2);
        // Most rows are text parts, whose only member besides the id is the text column: no JSON to read (a page's
        // cost is mostly its rows'); a user's command (TextPart.Command) is the one kept in JSON.
        if (r.GetString(at + 1) == "text" && (r.IsDBNull(at + 3) || !r.GetString(at + 3).Contains("\"command\"", StringComparison.Ordinal))) return new TextPart { Id = r.GetString(at), Text = text.Length == 0 ? null : text };
        var stored = r.IsDBNull(at + 3) ? null : JsonSerializer.Deserialize(r.GetString(at + 3), PlueJsonContext.Default.MessagePart);
        var part = (stored ?? StoredNames.EmptyPart(r.GetString(at + 1), "")) with { Id = r.GetString(at) };
        return text.Length == 0 && (stored is null || PartText.Of(stored) is null) ? part : PartText.With(part, text);
    }

    // Text lives in its own column so deltas can be appended; the other members as JSON.
    private static string DataJson(MessagePart part) => JsonSerializer.Serialize(PartText.With(part, null), PlueJsonContext.Default.MessagePart);

    private static string? UsageJson(TokenUsage? usage) => usage is null ? null : JsonSerializer.Serialize(usage, PlueJsonContext.Default.TokenUsage);

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
