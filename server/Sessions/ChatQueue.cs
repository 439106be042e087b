using System.Text.Json;
using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// The messages a user sent while a chat answered, in the store (<c>queued_messages</c>) so a restart of the sidecar
/// loses none: in order of <c>seq</c>, a steer moved ahead of the rest. The turn runner takes them one by one. Each
/// change is told as <c>session/queueChanged</c> carrying that change alone (never the whole queue), in the order the
/// changes were made; a chat holds at most <see cref="MaxQueued"/>.
/// </summary>
public sealed class ChatQueue(Database database, SessionEvents events)
{
    /// <summary>
    /// The most messages one chat (or task) may have waiting: each waits with its request open, and a queue longer
    /// than this is a client sending in a loop rather than a person typing ahead.
    /// </summary>
    public const int MaxQueued = 1_000;

    private const string Columns = "id, conversation_id, text, attachments, created_at";

    // A change and its notification are one step, so clients hear the changes in the order they were made.
    private readonly Lock _changing = new();

    /// <summary>Puts a message at the end of the queue; its row is written before this returns. Refused when the queue is full.</summary>
    public async Task<QueuedMessage> AddAsync(string sessionId, string text, IReadOnlyList<Attachment>? attachments, string? id = null)
    {
        var message = new QueuedMessage
        {
            Id = id ?? TranscriptIds.New(),
            SessionId = sessionId,
            Text = text,
            Attachments = attachments is { Count: > 0 } ? attachments : null,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        };
        ValueTask told;
        lock (_changing)
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO queued_messages (id, conversation_id, seq, text, attachments, created_at) " +
                "SELECT $id, $s, (SELECT COALESCE(MAX(seq), 0) + 1 FROM queued_messages WHERE conversation_id = $s), $text, $att, $at " +
                "WHERE (SELECT COUNT(*) FROM queued_messages WHERE conversation_id = $s) < $max";
            command.Parameters.AddWithValue("$id", message.Id);
            command.Parameters.AddWithValue("$s", sessionId);
            command.Parameters.AddWithValue("$text", text);
            command.Parameters.AddWithValue("$att", message.Attachments is { } a ? JsonSerializer.Serialize(a, PlueJsonContext.Default.IReadOnlyListAttachment) : DBNull.Value);
            command.Parameters.AddWithValue("$at", message.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", MaxQueued);
            if (command.ExecuteNonQuery() == 0)
                throw PlueErrors.Conflict($"{MaxQueued:N0} messages are already waiting to be sent here: wait for some to be sent, or remove some from the queue, then send this one again");
            told = Tell(connection, sessionId, added: message);
        }
        await Told(told).ConfigureAwait(false);
        return message;
    }

    public IReadOnlyList<QueuedMessage> List(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM queued_messages WHERE conversation_id = $s ORDER BY seq";
        command.Parameters.AddWithValue("$s", sessionId);
        return Read(command);
    }

    public QueuedMessage? Find(string id)
    {
        using var connection = database.Open();
        return Find(connection, id);
    }

    public QueuedMessage Get(string id) => Find(id) ?? throw NoLongerQueued();

    public bool Any(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM queued_messages WHERE conversation_id = $s)";
        command.Parameters.AddWithValue("$s", sessionId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    public async Task<QueuedMessage> EditAsync(string id, string text)
    {
        QueuedMessage edited;
        ValueTask told;
        lock (_changing)
        {
            using var connection = database.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "UPDATE queued_messages SET text = $text WHERE id = $id";
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$text", text);
                command.ExecuteNonQuery();
            }
            edited = Find(connection, id) ?? throw NoLongerQueued();
            told = Tell(connection, edited.SessionId, edited: edited);
        }
        await Told(told).ConfigureAwait(false);
        return edited;
    }

    /// <summary>Takes the message out of the queue; null when it was not there.</summary>
    public Task<QueuedMessage?> RemoveAsync(string id) =>
        DeleteOneAsync($"DELETE FROM queued_messages WHERE id = $p RETURNING {Columns}", id);

    /// <summary>Moves the message ahead of the rest of its chat's queue (a steer); returns it.</summary>
    public async Task<QueuedMessage> MoveToFrontAsync(string id)
    {
        QueuedMessage moved;
        ValueTask told;
        lock (_changing)
        {
            using var connection = database.Open();
            moved = Find(connection, id) ?? throw NoLongerQueued();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE queued_messages SET seq = (SELECT MIN(q.seq) - 1 FROM queued_messages q WHERE q.conversation_id = queued_messages.conversation_id) WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
            told = Tell(connection, moved.SessionId, movedToFront: moved.Id);
        }
        await Told(told).ConfigureAwait(false);
        return moved;
    }

    /// <summary>Takes the first message of the chat's queue out of it; null when the queue is empty.</summary>
    public Task<QueuedMessage?> TakeFirstAsync(string sessionId) =>
        DeleteOneAsync($"DELETE FROM queued_messages WHERE id = (SELECT id FROM queued_messages WHERE conversation_id = $p ORDER BY seq LIMIT 1) RETURNING {Columns}", sessionId);

    /// <summary>Deletes the one message <paramref name="sql"/> names by <c>$p</c> and tells its removal; null when there was none.</summary>
    private async Task<QueuedMessage?> DeleteOneAsync(string sql, string parameter)
    {
        QueuedMessage? removed;
        ValueTask told;
        lock (_changing)
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$p", parameter);
            removed = Read(command).FirstOrDefault();
            if (removed is null) return null;
            told = Tell(connection, removed.SessionId, removed: removed.Id);
        }
        await Told(told).ConfigureAwait(false);
        return removed;
    }

    private static RpcException NoLongerQueued() => PlueErrors.NotFound("That message is no longer queued: it was sent or removed");

    /// <summary>Starts telling the change (its frame is queued in the order of the calls); awaited outside the lock.</summary>
    private ValueTask Tell(SqliteConnection connection, string sessionId, QueuedMessage? added = null, QueuedMessage? edited = null, string? removed = null, string? movedToFront = null)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM queued_messages WHERE conversation_id = $s";
        count.Parameters.AddWithValue("$s", sessionId);
        var change = new SessionQueueChangedParams
        {
            SessionId = sessionId,
            Added = added,
            Edited = edited,
            Removed = removed,
            MovedToFront = movedToFront,
            Count = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            return events.QueueChangedAsync(change);
        }
        catch (Exception e) when (IsNoClient(e))
        {
            return ValueTask.CompletedTask;
        }
    }

    private static async ValueTask Told(ValueTask told)
    {
        try
        {
            await told.ConfigureAwait(false);
        }
        catch (Exception e) when (IsNoClient(e))
        {
            // No client to tell (the CLI, or a window that closed): the queue is in the store.
        }
    }

    private static bool IsNoClient(Exception e) => e is ObjectDisposedException or IOException or InvalidOperationException;

    private static QueuedMessage? Find(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM queued_messages WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return Read(command).FirstOrDefault();
    }

    private static List<QueuedMessage> Read(SqliteCommand command)
    {
        var list = new List<QueuedMessage>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new QueuedMessage
            {
                Id = reader.GetString(0),
                SessionId = reader.GetString(1),
                Text = reader.GetString(2),
                Attachments = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), PlueJsonContext.Default.IReadOnlyListAttachment),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            });
        }
        return list;
    }
}
