using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Store;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// A transcript's running totals and its cached history on a real SQLite file: the totals equal a sum over the
/// messages by the rules of what was spent (replaced answers count, a fork's copies do not) after every kind of write
/// (superseding, finishing, copying into a fork), a store of the older schema gets them on migration, and a second read of a transcript reads only the messages changed since, whoever wrote them.
/// </summary>
public sealed class TranscriptTotalsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TestMeters _meters = new(); // the store's own, so its reads are counted apart from the other stores'
    private readonly Database _database;
    private readonly MessageStore _store;

    public TranscriptTotalsTests()
    {
        _database = new Database(DbPath);
        _store = new MessageStore(_database, _meters.Factory);
    }

    private string DbPath => Path.Combine(_dir.Path, "plue.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _meters.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Totals_EqualASumOverTheMessages_AfterFinishSupersedeAndFork()
    {
        for (var seq = 0; seq < 10; seq++) Insert(_store, "s1", seq, seq % 2 == 1 ? 0.001m * seq : null);
        Insert(_store, "s1", 10, cost: null, role: MessageRole.Assistant, status: MessageStatus.Streaming, withUsage: false);
        AssertTotalsAreTheSum("s1");

        _store.Finish("s1/10", MessageStatus.Complete, null, new TokenUsage { Input = 70, Output = 7, Reasoning = 3 }, 0.07m, CostSource.Provider, "model-b");
        AssertTotalsAreTheSum("s1");
        Assert.Equal(11, _store.Totals("s1").Count);

        _store.Supersede("s1", 6); // an edit of the user message at 6, or a regenerate
        AssertTotalsAreTheSum("s1");
        Assert.Equal((6, 5L), (_store.Totals("s1").Count, _store.Totals("s1").ContextTokens));

        // Spent stays spent: the answers the edit replaced still count.
        Assert.Equal(0.001m + 0.003m + 0.005m + 0.007m + 0.009m + 0.07m, _store.Totals("s1").Spent.Usd);
        Assert.Equal([CostSource.Catalog, CostSource.Provider], _store.Totals("s1").Spent.Sources);

        _store.CopyMessages("s1", "fork", uptoSeq: 3);
        AssertTotalsAreTheSum("fork");
        Assert.Equal((4, 0m), (_store.Totals("fork").Count, _store.Totals("fork").Spent.KnownUsd)); // a fork starts at $0 spent
        AssertTotalsAreTheSum("s1"); // the source keeps its own

        Insert(_store, "s1", 11, cost: null); // one unpriced answer makes the total a lower bound
        Assert.True(_store.Totals("s1").Spent.IsLowerBound);
        _store.Supersede("s1", 11); // and superseding it does not unspend it
        AssertTotalsAreTheSum("s1");
        Assert.True(_store.Totals("s1").Spent.IsLowerBound);
    }

    [Fact]
    public void Migration_FromTheSchemaWithoutTotals_AddsThemForTheMessagesAlreadyStored()
    {
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            Migrations.Apply(old, upTo: 2);
        }
        var older = new MessageStore(new Database(DbPath), TestMeters.Shared);
        using (var raw = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            // Messages as the older sidecar wrote them: no triggers, no totals.
            raw.Open();
            using var insert = raw.CreateCommand();
            insert.CommandText = """
                INSERT INTO messages (id, session_id, seq, role, status, usage, cost_usd, created_at, updated_at) VALUES
                ('a', 'old', 0, 'user', 'complete', NULL, NULL, 0, 0),
                ('b', 'old', 1, 'assistant', 'complete', '{"input":10,"output":2,"cacheRead":1,"cacheWrite":0,"reasoning":0}', 0.25, 0, 0),
                ('c', 'old', 2, 'user', 'superseded', NULL, NULL, 0, 0),
                ('d', 'old', 3, 'assistant', 'superseded', '{"input":99,"output":99,"cacheRead":0,"cacheWrite":0,"reasoning":0}', 9, 0, 0),
                ('e', 'old', 4, 'user', 'complete', NULL, NULL, 0, 0),
                ('f', 'old', 5, 'assistant', 'complete', '{"input":30,"output":4,"cacheRead":0,"cacheWrite":0,"reasoning":5}', 0.5, 0, 0);
                """;
            insert.ExecuteNonQuery();
        }

        var (spent, count, context) = older.Totals("old"); // the first open migrates

        // The superseded answer was paid for too.
        Assert.Equal(new TokenUsage { Input = 139, Output = 105, CacheRead = 1, Reasoning = 5 }, spent.Usage);
        Assert.Equal((9.75m, 4, 30L), (spent.Usd, count, context));
        Assert.Equal([CostSource.Catalog], spent.Sources);
        Assert.Equal(["a", "b", "e", "f"], older.Messages("old").Select(m => m.Id));
    }

    [Fact]
    public void Messages_ReadAgain_ReadsOnlyWhatChanged_WhoeverWroteIt()
    {
        var otherProcess = new MessageStore(new Database(DbPath), TestMeters.Shared); // its own cache, as another window's sidecar has
        for (var seq = 0; seq < 200; seq++) Insert(otherProcess, "s1", seq, 0.001m);
        Assert.Equal(200, _store.Messages("s1").Count);
        var read = MessagesRead();

        Assert.Equal(200, _store.Messages("s1").Count);
        Assert.Equal(read, MessagesRead()); // nothing changed: nothing read

        Insert(otherProcess, "s1", 200, null);
        otherProcess.UpdatePart(new TextPart { Id = "s1/100/p", Text = "edited elsewhere" });
        var messages = _store.Messages("s1");
        Assert.Equal(2, MessagesRead() - read);
        Assert.Equal(201, messages.Count);
        Assert.Equal("edited elsewhere", Assert.IsType<TextPart>(messages[100].Parts[0]).Text);
        Assert.Equal(Fresh("s1"), Shape(messages));

        otherProcess.Supersede("s1", 150);
        read = MessagesRead();
        messages = _store.Messages("s1");
        Assert.Equal(51, MessagesRead() - read);
        Assert.Equal(Fresh("s1"), Shape(messages));
        Assert.Equal(150, messages.Count);
    }

    /// <summary>How many messages the store has built from rows it read, as its <c>plue.transcripts.messages_read</c> counter says.</summary>
    private long MessagesRead() => Instruments.Read(_meters.Factory, "Plue.Transcripts", "plue.transcripts.messages_read");

    /// <summary>The transcript as a store that never read it before sees it.</summary>
    private List<(string, MessageStatus, string)> Fresh(string session) => Shape(new MessageStore(new Database(DbPath), TestMeters.Shared).Messages(session));

    private static List<(string, MessageStatus, string)> Shape(List<SessionMessage> messages) =>
        [.. messages.Select(m => (m.Id, m.Status, string.Concat(m.Parts.OfType<TextPart>().Select(p => p.Text))))];

    /// <summary>
    /// The totals the store keeps equal a sum over the rows: every answer paid here (superseded too, not a fork's
    /// copies) for what was spent, the live messages for the count, the latest live answer for the context fill.
    /// </summary>
    private void AssertTotalsAreTheSum(string session)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT role, status, usage, cost_usd, cost_source, copied_from FROM messages WHERE session_id = $s ORDER BY seq";
        command.Parameters.AddWithValue("$s", session);
        using var reader = command.ExecuteReader();
        var (spent, count, context) = (CostTotal.None, 0, 0L);
        while (reader.Read())
        {
            var live = reader.GetString(1) != "superseded";
            if (live) count++;
            if (reader.GetString(0) != "assistant" || reader.IsDBNull(2)) continue;
            var usage = System.Text.Json.JsonSerializer.Deserialize(reader.GetString(2), PlueJsonContext.Default.TokenUsage)!;
            if (live && usage.Input > 0) context = usage.Input;
            if (!reader.IsDBNull(5)) continue;
            decimal? cost = reader.IsDBNull(3) ? null : (decimal)reader.GetDouble(3);
            var source = reader.IsDBNull(4) ? CostSource.Catalog : Enum.Parse<CostSource>(reader.GetString(4), ignoreCase: true);
            spent = spent.Add(usage, cost, source);
        }
        var kept = _store.Totals(session);
        Assert.Equal((spent.Usage, spent.KnownUsd, string.Join(",", spent.Sources), count, context),
            (kept.Spent.Usage, kept.Spent.KnownUsd, string.Join(",", kept.Spent.Sources), kept.Count, kept.ContextTokens));
    }

    private static void Insert(MessageStore store, string session, int seq, decimal? cost, MessageRole? role = null, MessageStatus status = MessageStatus.Complete, bool withUsage = true)
    {
        var answer = (role ?? (seq % 2 == 1 ? MessageRole.Assistant : MessageRole.User)) == MessageRole.Assistant;
        store.InsertMessage(new SessionMessage
        {
            Id = $"{session}/{seq}", SessionId = session, Seq = seq, Role = answer ? MessageRole.Assistant : MessageRole.User, Status = status,
            Parts = [new TextPart { Id = $"{session}/{seq}/p", Text = $"text of {session}/{seq}" }],
            Usage = answer && withUsage ? new TokenUsage { Input = seq, Output = 1, CacheRead = seq % 3 } : null, CostUsd = answer ? cost : null,
            CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(seq),
        }, owner: null);
    }
}
