using System.Text.Json;
using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Store;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// The messages a user sent while a chat answered, in the store (<c>queued_messages</c>) so a restart of the sidecar
/// loses none: in order of <c>seq</c>, a steer moved ahead of the rest. The turn runner takes them one by one.
/// </summary>
public sealed class ChatQueue(Database database)
{
    private const string Columns = "id, conversation_id, text, attachments, created_at";

    public QueuedMessage Add(string sessionId, string text, IReadOnlyList<Attachment>? attachments)
    {
        var message = new QueuedMessage
        {
            Id = TranscriptIds.New(),
            SessionId = sessionId,
            Text = text,
            Attachments = attachments is { Count: > 0 } ? attachments : null,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        };
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO queued_messages (id, conversation_id, seq, text, attachments, created_at) " +
            "VALUES ($id, $s, (SELECT COALESCE(MAX(seq), 0) + 1 FROM queued_messages WHERE conversation_id = $s), $text, $att, $at)";
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$s", sessionId);
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$att", message.Attachments is { } a ? JsonSerializer.Serialize(a, PlueJsonContext.Default.IReadOnlyListAttachment) : DBNull.Value);
        command.Parameters.AddWithValue("$at", message.CreatedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
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
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM queued_messages WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return Read(command).FirstOrDefault();
    }

    public QueuedMessage Get(string id) => Find(id) ?? throw PlueErrors.NotFound("That message is no longer queued: it was sent or removed");

    public bool Any(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM queued_messages WHERE conversation_id = $s)";
        command.Parameters.AddWithValue("$s", sessionId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    public QueuedMessage Edit(string id, string text)
    {
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE queued_messages SET text = $text WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$text", text);
            if (command.ExecuteNonQuery() == 0) Get(id);
        }
        return Get(id);
    }

    /// <summary>Takes the message out of the queue; false when it was not there.</summary>
    public bool Remove(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM queued_messages WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Moves the message ahead of the rest of its chat's queue (a steer).</summary>
    public void MoveToFront(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE queued_messages SET seq = (SELECT MIN(q.seq) - 1 FROM queued_messages q WHERE q.conversation_id = queued_messages.conversation_id) WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>Takes the first message of the chat's queue out of it; null when the queue is empty.</summary>
    public QueuedMessage? TakeFirst(string sessionId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM queued_messages WHERE id = (SELECT id FROM queued_messages WHERE conversation_id = $s ORDER BY seq LIMIT 1) RETURNING {Columns}";
        command.Parameters.AddWithValue("$s", sessionId);
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
