using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Store;

namespace Plue.Codex.Records;

/// <summary>
/// Codex rows in SQLite. Every write runs in one transaction with its history entry,
/// so a record and the trail that can undo it never disagree.
/// </summary>
public sealed class CodexRepository(Database database)
{
    private const string Columns = "id, template_id, collection, slug, title, fields, tags, parent_id, spawned_by, status, version, created_at, updated_at";

    public CodexRecord? Get(string id)
    {
        using var connection = database.Open();
        return QuerySingle(connection, null, $"SELECT {Columns} FROM codices WHERE id = $id", ("$id", id));
    }

    public CodexRecord? GetBySlug(string collection, string slug)
    {
        using var connection = database.Open();
        return QuerySingle(connection, null, $"SELECT {Columns} FROM codices WHERE collection = $c AND slug = $s", ("$c", collection), ("$s", slug));
    }

    /// <summary>The record with this id as a caller's transaction sees it (an import checks what is here).</summary>
    public static CodexRecord? Get(SqliteConnection connection, SqliteTransaction transaction, string id) =>
        QuerySingle(connection, transaction, $"SELECT {Columns} FROM codices WHERE id = $id", ("$id", id));

    /// <summary>Whether a record holds this id, or this slug in its collection, as a caller's transaction sees it.</summary>
    public static bool Taken(SqliteConnection connection, SqliteTransaction transaction, string? id, string collection, string slug)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM codices WHERE id = $id OR (collection = $c AND slug = $s))";
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$s", slug);
        return (long)command.ExecuteScalar()! != 0;
    }

    /// <summary>The slugs in a collection that start with <paramref name="prefix"/>, to pick a free one.</summary>
    public HashSet<string> SlugsStartingWith(string collection, string prefix)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT slug FROM codices WHERE collection = $c AND slug >= $p AND slug < $end";
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$p", prefix);
        command.Parameters.AddWithValue("$end", prefix + "\uffff");
        using var reader = command.ExecuteReader();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) slugs.Add(reader.GetString(0));
        return slugs;
    }

    /// <summary>Writes a change: insert (before null), update (both) or delete (after null), with its history.</summary>
    /// <returns>False when the record's version is no longer <paramref name="expectedVersion"/>.</returns>
    public bool Write(string action, CodexRecord? before, CodexRecord? after, long? expectedVersion)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        if (!Write(connection, transaction, action, before, after, expectedVersion)) return false;
        transaction.Commit();
        return true;
    }

    /// <summary><see cref="Write(string, CodexRecord?, CodexRecord?, long?)"/> inside a caller's transaction (an import writes many records in one).</summary>
    public static bool Write(SqliteConnection connection, SqliteTransaction transaction, string action, CodexRecord? before, CodexRecord? after, long? expectedVersion)
    {
        var id = (after ?? before)!.Id;
        int changed;
        if (after is null)
            changed = Execute(connection, transaction, "DELETE FROM codices WHERE id = $id AND version = $v", ("$id", id), ("$v", expectedVersion!.Value));
        else if (expectedVersion is null)
            changed = Insert(connection, transaction, after);
        else
            changed = Execute(connection, transaction,
                "UPDATE codices SET template_id = $t, collection = $col, slug = $slug, title = $title, fields = $f, tags = $tags, parent_id = $p, " +
                "spawned_by = $sb, status = $st, version = $v, updated_at = $ua WHERE id = $id AND version = $expected",
                [.. Row(after), ("$expected", expectedVersion.Value)]);
        if (changed == 0) return false;

        Execute(connection, transaction, "DELETE FROM codex_tags WHERE codex_id = $id", ("$id", id));
        foreach (var tag in after?.Tags.Distinct(StringComparer.Ordinal) ?? [])
            Execute(connection, transaction, "INSERT INTO codex_tags (tag, codex_id) VALUES ($tag, $id)", ("$tag", tag), ("$id", id));
        Execute(connection, transaction,
            "INSERT INTO codex_history (codex_id, action, version, before, after, at) VALUES ($id, $a, $v, $b, $af, $at)",
            ("$id", id), ("$a", action), ("$v", (after ?? before)!.Version + (after is null ? 1 : 0)),
            ("$b", Snapshot(before)), ("$af", Snapshot(after)), ("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        return true;
    }

    /// <summary>Inserts the row; 0 when another record holds its slug (or restores took it) in the collection.</summary>
    private static int Insert(SqliteConnection connection, SqliteTransaction transaction, CodexRecord record)
    {
        try
        {
            return Execute(connection, transaction, $"INSERT INTO codices ({Columns}) VALUES ($id, $t, $col, $slug, $title, $f, $tags, $p, $sb, $st, $v, $ca, $ua)", Row(record));
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteUniqueConstraint)
        {
            return 0;
        }
    }

    /// <summary>SQLITE_CONSTRAINT_UNIQUE: the (collection, slug) index refused a second record.</summary>
    private const int SqliteUniqueConstraint = 2067;

    public IReadOnlyList<HistoryEntry> History(string id, int limit = 200)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, codex_id, action, version, before, after, undone, at FROM codex_history WHERE codex_id = $id ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var entries = new List<HistoryEntry>();
        while (reader.Read())
        {
            entries.Add(new HistoryEntry
            {
                Seq = reader.GetInt64(0),
                CodexId = reader.GetString(1),
                Action = reader.GetString(2),
                Version = reader.GetInt64(3),
                Before = reader.IsDBNull(4) ? null : JsonSerializer.Deserialize(reader.GetString(4), PlueJsonContext.Default.CodexRecord),
                After = reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), PlueJsonContext.Default.CodexRecord),
                Undone = reader.GetInt64(6) != 0,
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            });
        }
        return entries;
    }

    public void MarkUndone(long seq)
    {
        using var connection = database.Open();
        Execute(connection, null, "UPDATE codex_history SET undone = 1 WHERE seq = $seq", ("$seq", seq));
    }

    public CodexPage List(CodexQuery query)
    {
        var (orderBy, keyColumn, descending) = query.Sort switch
        {
            CodexSort.UpdatedAsc => ("updated_at ASC, id ASC", "updated_at", false),
            CodexSort.CreatedDesc => ("created_at DESC, id DESC", "created_at", true),
            CodexSort.CreatedAsc => ("created_at ASC, id ASC", "created_at", false),
            CodexSort.TitleAsc => ("title ASC, id ASC", "title", false),
            CodexSort.IdDesc => ("id DESC", "id", true),
            _ => ("updated_at DESC, id DESC", "updated_at", true),
        };
        var where = new List<string>();
        var parameters = new List<(string, object)>();
        if (query.TemplateIds is { Count: > 0 } templates)
        {
            where.Add($"template_id IN ({string.Join(", ", templates.Select((_, i) => $"$t{i}"))})");
            parameters.AddRange(templates.Select((t, i) => ($"$t{i}", (object)t)));
        }
        for (var i = 0; i < (query.Tags?.Count ?? 0); i++)
        {
            where.Add($"EXISTS (SELECT 1 FROM codex_tags g WHERE g.tag = $tag{i} AND g.codex_id = c.id)");
            parameters.Add(($"$tag{i}", query.Tags![i]));
        }
        if (query.SpawnedBy is { } spawnedBy) { where.Add("spawned_by = $sb"); parameters.Add(("$sb", spawnedBy)); }
        if (query.ParentId is { } parentId) { where.Add("parent_id = $pid"); parameters.Add(("$pid", parentId)); }
        if (query.Status is { } status) { where.Add("status = $st"); parameters.Add(("$st", status)); }
        if (query.NotStatus is { } notStatus) { where.Add("(status IS NULL OR status <> $nst)"); parameters.Add(("$nst", notStatus)); }
        using var connection = database.Open();
        if (query.Cursor is { } || query.AfterId is { })
        {
            // By id, the id is the whole key: a page may follow a record deleted since it was listed.
            var (key, id) = query.Cursor is { } cursor ? DecodeCursor(cursor) : keyColumn == "id" ? (query.AfterId!, query.AfterId!) : KeyOf(connection, keyColumn, query.AfterId!);
            where.Add($"({keyColumn}, id) {(descending ? "<" : ">")} ($ck, $cid)");
            parameters.Add(("$ck", keyColumn is "title" or "id" ? key : long.Parse(key, CultureInfo.InvariantCulture)));
            parameters.Add(("$cid", id));
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM codices c {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY {orderBy} LIMIT $limit";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var items = new List<CodexRecord>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) items.Add(ReadRecordOrUnreadable(reader));

        if (items.Count <= query.Limit) return new CodexPage(items, null);
        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        var lastKey = keyColumn switch
        {
            "title" => last.Title,
            "id" => last.Id,
            "created_at" => last.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            _ => last.UpdatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        return new CodexPage(items, EncodeCursor(lastKey, last.Id));
    }

    /// <summary>The sort key of the record <paramref name="id"/>, as a cursor holds it; refused when there is no such record.</summary>
    private static (string Key, string Id) KeyOf(SqliteConnection connection, string keyColumn, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {keyColumn} FROM codices WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() switch
        {
            string title => (title, id),
            long at => (at.ToString(CultureInfo.InvariantCulture), id),
            _ => throw Rpc.RpcException.InvalidParams($"after: there is no record '{id}' (deleted since it was listed?); list again from the start"),
        };
    }

    private static string EncodeCursor(string key, string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}\n{id}"));

    private static (string Key, string Id) DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('\n');
            if (parts.Length == 2) return (parts[0], parts[1]);
        }
        catch (FormatException)
        {
        }
        throw Rpc.RpcException.InvalidParams("cursor is not one this server gave out; start again without it");
    }

    private static (string, object)[] Row(CodexRecord r) =>
    [
        ("$id", r.Id), ("$t", r.TemplateId), ("$col", r.Collection), ("$slug", r.Slug), ("$title", r.Title),
        ("$f", r.Fields.ToJsonString()), ("$tags", JsonSerializer.Serialize(r.Tags, PlueJsonContext.Default.IReadOnlyListString)),
        ("$p", (object?)r.ParentId ?? DBNull.Value), ("$sb", (object?)r.SpawnedBy ?? DBNull.Value), ("$st", (object?)r.Status ?? DBNull.Value),
        ("$v", r.Version), ("$ca", r.CreatedAt.ToUnixTimeMilliseconds()), ("$ua", r.UpdatedAt.ToUnixTimeMilliseconds()),
    ];

    private static object Snapshot(CodexRecord? record) =>
        record is null ? DBNull.Value : JsonSerializer.Serialize(record, PlueJsonContext.Default.CodexRecord);

    private static CodexRecord? QuerySingle(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        try
        {
            return ReadRecord(reader);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or OverflowException)
        {
            throw PlueErrors.Conflict($"The record {reader.GetValue(0)} in plue.db cannot be read ({Why(e)}); it is listed as unreadable. Delete it, or restore plue.db from a backup (plue.db.v*.bak).");
        }
    }

    /// <summary>The row as a record; a row whose fields, tags or times cannot be read as one with what can, marked <see cref="CodexRecord.Unreadable"/>.</summary>
    private static CodexRecord ReadRecordOrUnreadable(SqliteDataReader reader)
    {
        try
        {
            return ReadRecord(reader);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or OverflowException)
        {
            string Text(int column, string otherwise) => reader.IsDBNull(column) ? otherwise : Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? otherwise;
            DateTimeOffset At(int column) => reader.GetValue(column) is long ms && ms is >= 0 and <= 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UnixEpoch;
            var id = Text(0, "");
            return new CodexRecord
            {
                Id = id,
                TemplateId = Text(1, ""),
                Collection = Text(2, ""),
                Slug = Text(3, id),
                Title = Text(4, id),
                Fields = [],
                Tags = [],
                ParentId = reader.IsDBNull(7) ? null : Text(7, ""),
                SpawnedBy = reader.IsDBNull(8) ? null : Text(8, ""),
                Status = reader.IsDBNull(9) ? null : Text(9, ""),
                Version = reader.GetValue(10) is long version ? version : 0,
                CreatedAt = At(11),
                UpdatedAt = At(12),
                Unreadable = Why(e),
            };
        }
    }

    private static string Why(Exception e) => e switch
    {
        JsonException => "its stored fields or tags are not JSON",
        _ => "a stored value has the wrong type",
    };

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    /// <summary>A text column's bytes as SQLite holds them (UTF-8), as <c>GetString</c> would read them but not decoded.</summary>
    private static byte[] Utf8(SqliteDataReader reader, int column) => reader.GetFieldValue<byte[]>(column);

    private static CodexRecord ReadRecord(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        TemplateId = reader.GetString(1),
        Collection = reader.GetString(2),
        Slug = reader.GetString(3),
        Title = reader.GetString(4),
        // Read as the UTF-8 SQLite holds, not through a UTF-16 string: a page of records parses its JSON once.
        Fields = JsonNode.Parse(Utf8(reader, 5)) as JsonObject ?? [],
        Tags = JsonSerializer.Deserialize(Utf8(reader, 6), PlueJsonContext.Default.IReadOnlyListString) ?? [],
        ParentId = reader.IsDBNull(7) ? null : reader.GetString(7),
        SpawnedBy = reader.IsDBNull(8) ? null : reader.GetString(8),
        Status = reader.IsDBNull(9) ? null : reader.GetString(9),
        Version = reader.GetInt64(10),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
    };
}
