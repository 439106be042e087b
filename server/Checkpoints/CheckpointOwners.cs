using Plue.Store;

namespace Plue.Checkpoints;

/// <summary>What the store reads of chats and tasks: a task's sub-tasks, a transcript's latest user message, when a message was sent.</summary>
public sealed class CheckpointOwners(Database database)
{
    /// <summary>The owner and every task under it (a sub-task's record names the task that spawned it).</summary>
    public IReadOnlyList<string> Tree(string owner) => Strings(
        "WITH RECURSIVE tree(id) AS (SELECT $id UNION SELECT c.id FROM codices c JOIN tree t ON c.spawned_by = t.id) SELECT id FROM tree",
        ("$id", owner));

    /// <summary>The user message a change is made under: the owner's latest (a chat's question, a task's goal or steer).</summary>
    public string? LatestUserMessage(string owner) => Strings(
        "SELECT id FROM messages WHERE session_id = $s AND role = 'user' AND status <> 'superseded' ORDER BY seq DESC LIMIT 1",
        ("$s", owner)).FirstOrDefault();

    /// <summary>When the owner's message was stored (ms) and its place; null when it is not the owner's.</summary>
    public (long At, int Seq)? Message(string owner, string messageId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT created_at, seq FROM messages WHERE id = $id AND session_id = $s AND status <> 'superseded'";
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$s", owner);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    /// <summary>The place of each of the owner's live user messages.</summary>
    public Dictionary<string, int> UserMessageSeqs(string owner)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, seq FROM messages WHERE session_id = $s AND role = 'user' AND status <> 'superseded'";
        command.Parameters.AddWithValue("$s", owner);
        using var reader = command.ExecuteReader();
        var seqs = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read()) seqs[reader.GetString(0)] = reader.GetInt32(1);
        return seqs;
    }

    /// <summary>The owner's live user messages and when each was stored (ms), oldest first.</summary>
    public List<(string Id, long At)> UserMessageTimes(string owner)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, created_at FROM messages WHERE session_id = $s AND role = 'user' AND status <> 'superseded' ORDER BY seq";
        command.Parameters.AddWithValue("$s", owner);
        using var reader = command.ExecuteReader();
        var times = new List<(string Id, long At)>();
        while (reader.Read()) times.Add((reader.GetString(0), reader.GetInt64(1)));
        return times;
    }

    /// <summary>Whether a reply is streaming into the owner's transcript now.</summary>
    public bool Streaming(string owner) => Strings(
        "SELECT id FROM messages WHERE session_id = $s AND status = 'streaming' LIMIT 1", ("$s", owner)).Count > 0;

    private List<string> Strings(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}
