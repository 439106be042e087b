using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Store;
using Plue.Tests.Support;

namespace Plue.Tests.Transcripts;

/// <summary>The transcript store on a real SQLite file: pages of a long chat, and streamed writes.</summary>
public sealed class MessageStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Database _database;
    private readonly MessageStore _store;

    public MessageStoreTests()
    {
        _database = new Database(Path.Combine(_dir.Path, "plue.db"));
        _store = new MessageStore(_database, TestMeters.Shared);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Page_LatestFirst_ThenOlderPagesBeforeTheOldestHeld_SkippingSuperseded()
    {
        for (var seq = 0; seq < 8; seq++) Insert("s1", seq, seq == 5 ? MessageStatus.Superseded : MessageStatus.Complete);
        Insert("s2", 0, MessageStatus.Complete); // another chat's message is never in this one's pages

        var latest = _store.Page("s1", limit: 3, beforeSeq: null);
        Assert.Equal([4, 6, 7], latest.Messages.Select(m => m.Seq));
        Assert.True(latest.HasMore);
        Assert.Equal("text of s1/7", Assert.IsType<TextPart>(Assert.Single(latest.Messages[^1].Parts)).Text);

        var earlier = _store.Page("s1", limit: 3, beforeSeq: latest.Messages[0].Seq);
        Assert.Equal([1, 2, 3], earlier.Messages.Select(m => m.Seq));
        Assert.True(earlier.HasMore);

        var first = _store.Page("s1", limit: 3, beforeSeq: earlier.Messages[0].Seq);
        Assert.Equal([0], first.Messages.Select(m => m.Seq));
        Assert.False(first.HasMore);

        var none = _store.Page("s1", limit: 3, beforeSeq: 0);
        Assert.Empty(none.Messages);
        Assert.False(none.HasMore);
    }

    [Fact]
    public void Page_WithoutLimit_IsTheWholeTranscript_AsMessagesGivesIt()
    {
        for (var seq = 0; seq < 5; seq++) Insert("s1", seq, MessageStatus.Complete);

        var all = _store.Page("s1", limit: null, beforeSeq: null);

        Assert.False(all.HasMore);
        Assert.Equal(_store.Messages("s1").Select(m => (m.Id, m.Parts.Count)), all.Messages.Select(m => (m.Id, m.Parts.Count)));
        Assert.Equal([0, 1], _store.Page("s1", limit: null, beforeSeq: 2).Messages.Select(m => m.Seq));
    }

    [Fact]
    public void PageQuery_WalksTheSessionSeqIndexBackwards_AndReadsPartsByIndex_NeverScanning()
    {
        Insert("s1", 0, MessageStatus.Complete);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + MessageStore.PageSql;
        command.Parameters.AddWithValue("$s", "s1");
        command.Parameters.AddWithValue("$before", 10);
        command.Parameters.AddWithValue("$limit", 200);
        var plan = new List<(long Id, long Parent, string Detail)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) plan.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3)));
        var text = string.Join("\n", plan.Select(p => p.Detail));

        Assert.Contains(plan, p => p.Detail.StartsWith("SEARCH messages USING", StringComparison.Ordinal) && p.Detail.Contains("(session_id=? AND seq<?)", StringComparison.Ordinal));
        Assert.Contains(plan, p => p.Detail.StartsWith("SEARCH p USING", StringComparison.Ordinal) && p.Detail.Contains("(message_id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain("SCAN messages", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN p", text, StringComparison.Ordinal);
        // The latest messages come from the index in descending order: nothing sorts the session's messages,
        // only the page's rows are put back in order.
        var page = plan.Single(p => p.Detail.StartsWith("CO-ROUTINE", StringComparison.Ordinal) || p.Detail.StartsWith("MATERIALIZE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, p => p.Parent == page.Id && p.Detail.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TranscriptWriter_StoresPartsAndTextInOrder_WithinAnInterval_WithoutAFlush()
    {
        Insert("s1", 0, MessageStatus.Streaming, parts: false);
        using var writer = new TranscriptWriter(_store, NullLogger<TranscriptWriter>.Instance);
        writer.InsertPart("s1/0", 0, new ReasoningPart { Id = "r", Text = "" });
        writer.Append("r", "Think");
        writer.Append("r", "ing.");
        writer.InsertPart("s1/0", 1, new TextPart { Id = "t", Text = "" });
        writer.Append("t", "Hello");

        // No flush asked: the background thread writes on its own, about one interval later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (_store.Message("s1/0")!.Parts.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal([("r", "Thinking."), ("t", "Hello")], _store.Message("s1/0")!.Parts.Select(p => (p.Id, p switch { TextPart t => t.Text, ReasoningPart r => r.Text, _ => null })));

        writer.Append("t", ", world");
        await writer.FlushAsync();
        Assert.Equal("Hello, world", Assert.IsType<TextPart>(_store.Message("s1/0")!.Parts[1]).Text);
    }

    [Fact]
    public async Task TranscriptWriter_AWriteThatFails_FailsTheNextFlush_WithTheReason_AndLeavesNoTransactionOpen()
    {
        Insert("s1", 0, MessageStatus.Streaming, parts: false);
        using var writer = new TranscriptWriter(_store, NullLogger<TranscriptWriter>.Instance);
        // A part of a message that does not exist: the foreign key refuses it.
        writer.InsertPart("no-such-message", 0, new TextPart { Id = "orphan", Text = "" });

        var error = await Assert.ThrowsAsync<SqliteException>(writer.FlushAsync);
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.OrdinalIgnoreCase);
        await writer.FlushAsync(); // reported once; the writer goes on

        // No transaction was left open on a pooled connection: the writer's next batch and the store's own writes both commit.
        writer.InsertPart("s1/0", 0, new TextPart { Id = "t2", Text = "" });
        writer.Append("t2", "after");
        await writer.FlushAsync();
        Insert("s1", 1, MessageStatus.Complete, parts: false);
        Assert.Equal("after", Assert.IsType<TextPart>(Assert.Single(_store.Message("s1/0")!.Parts)).Text);
        Assert.NotNull(_store.Message("s1/1"));
    }

    [Fact]
    public void Parts_StoredBeforeTheyWereTyped_ReadBackAsTheirKind()
    {
        Insert("s1", 0, MessageStatus.Complete, parts: false);
        // Rows as the flat part record wrote them: kind second in the JSON, text in its own column.
        using (var connection = _database.Open())
        {
            foreach (var (id, seq, kind, text, data) in new[]
            {
                ("t", 0, "text", "Hello", """{"id":"t","kind":"text"}"""),
                ("r", 1, "reasoning", "Hmm", """{"id":"r","kind":"reasoning","signature":"sig"}"""),
                ("u", 2, "tool_use", "", """{"id":"u","kind":"tool_use","toolCallId":"c1","name":"read","input":{"path":"a.md"},"state":"completed"}"""),
                ("s", 3, "step", "", """{"id":"s","kind":"step","usage":{"input":3,"output":2,"cacheRead":0,"cacheWrite":0,"reasoning":0},"costUsd":0.5,"finishReason":"stop"}"""),
            })
            {
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO parts (id, message_id, seq, kind, text, data) VALUES ($id, 's1/0', $seq, $kind, $text, $data)";
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$seq", seq);
                command.Parameters.AddWithValue("$kind", kind);
                command.Parameters.AddWithValue("$text", text);
                command.Parameters.AddWithValue("$data", data);
                command.ExecuteNonQuery();
            }
        }

        var parts = _store.Message("s1/0")!.Parts;

        Assert.Equal("Hello", Assert.IsType<TextPart>(parts[0]).Text);
        Assert.Equal(("Hmm", "sig"), (Assert.IsType<ReasoningPart>(parts[1]).Text, ((ReasoningPart)parts[1]).Signature));
        var use = Assert.IsType<ToolUsePart>(parts[2]);
        Assert.Equal(("c1", "read", ToolState.Completed, "a.md"), (use.ToolCallId, use.Name, use.State, use.Input!["path"]!.GetValue<string>()));
        var step = Assert.IsType<StepPart>(parts[3]);
        Assert.Equal((3L, 0.5m, "stop"), (step.Usage!.Input, step.CostUsd!.Value, step.FinishReason));
    }

    [Fact]
    public void TextParts_ReadBackAsWritten_AnEmptyTextAsNone()
    {
        _store.InsertMessage(new SessionMessage
        {
            Id = "m", SessionId = "s1", Seq = 0, Role = MessageRole.Assistant, Status = MessageStatus.Complete, CreatedAt = DateTimeOffset.UnixEpoch,
            Parts = [new TextPart { Id = "a", Text = "Hello" }, new TextPart { Id = "b", Text = "" }, new TextPart { Id = "c" }],
        }, owner: null);

        var parts = Assert.Single(_store.Page("s1", limit: 10, beforeSeq: null).Messages).Parts;

        Assert.Equal([("a", "Hello"), ("b", null), ("c", null)], parts.Select(p => (p.Id, Assert.IsType<TextPart>(p).Text)));
        Assert.Equal(parts, Assert.Single(_store.Messages("s1")).Parts);
    }

    private void Insert(string session, int seq, MessageStatus status, bool parts = true) => _store.InsertMessage(new SessionMessage
    {
        Id = $"{session}/{seq}", SessionId = session, Seq = seq, Role = seq % 2 == 0 ? MessageRole.User : MessageRole.Assistant, Status = status,
        Parts = parts ? [new TextPart { Id = $"{session}/{seq}/p", Text = $"text of {session}/{seq}" }] : [],
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(seq),
    }, owner: null);
}
