using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Protocol;
using Plue.Store;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// Streamed text stored as chunks (migration 8) on a real SQLite file: readers see it while it streams, every way a
/// message stops streaming folds it into the part (and the search index gets the whole text), and a batch writes the
/// same few pages however long the part has grown.
/// </summary>
public sealed class PartChunksTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Database _database;
    private readonly MessageStore _store;
    private readonly TranscriptWriter _writer;

    public PartChunksTests()
    {
        _database = new Database(Path.Combine(_dir.Path, "plue.db"));
        _store = new MessageStore(_database, TestMeters.Shared);
        _writer = new TranscriptWriter(_store, NullLogger<TranscriptWriter>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task StreamingText_IsReadWhole_ThenFoldedWhenTheAnswerEnds_AndIndexedForSearch()
    {
        await StreamAsync("s1/1", "t", "Hello", ", wor", "ld");
        Assert.Equal("Hello, world", Text("s1/1"));
        Assert.Equal(3, ChunkCount());
        Assert.Equal("Hello, world", _store.Messages("s1")[1].Parts.OfType<TextPart>().Single().Text);

        _store.Finish("s1/1", MessageStatus.Complete, null, null, null, CostSource.Unknown, null);

        Assert.Equal(0, ChunkCount());
        Assert.Equal("Hello, world", Scalar<string>("SELECT text FROM parts WHERE id = 't'"));
        Assert.Equal("Hello, world", Text("s1/1"));
        Assert.Equal("s1/1", Scalar<string>("SELECT message_id FROM transcript_search WHERE transcript_search MATCH 'world'"));
    }

    [Theory]
    [InlineData("interrupted")]
    [InlineData("superseded")]
    [InlineData("cancelled")]
    public async Task EveryWayAMessageStopsStreaming_FoldsItsChunks(string how)
    {
        await StreamAsync("s1/1", "t", "kept ", "text");

        switch (how)
        {
            case "interrupted": Assert.Equal(1, _store.MarkInterrupted(_ => false)); break;
            case "superseded": _store.Supersede("s1", 1); break;
            default: _store.Finish("s1/1", MessageStatus.Cancelled, null, null, null, CostSource.Unknown, null); break;
        }

        Assert.Equal(0, ChunkCount());
        Assert.Equal("kept text", Scalar<string>("SELECT text FROM parts WHERE id = 't'"));
    }

    [Fact]
    public async Task TextWrittenAfterTheMessageEnded_GoesIntoThePartAtOnce()
    {
        await StreamAsync("s1/1", "t", "early");
        _store.Finish("s1/1", MessageStatus.Complete, null, null, null, CostSource.Unknown, null);

        _writer.Append("t", " late");
        await _writer.FlushAsync();

        Assert.Equal(0, ChunkCount());
        Assert.Equal("early late", Text("s1/1"));
    }

    [Fact]
    public async Task APartReplacedWhole_DropsItsChunks()
    {
        await StreamAsync("s1/1", "t", "draft ", "text");

        _store.UpdatePart(new TextPart { Id = "t", Text = "final" });

        Assert.Equal("final", Text("s1/1"));
        Assert.Equal(0, ChunkCount());
    }

    [Fact]
    public async Task AForkOfAStreamingChat_CopiesTheTextSoFar()
    {
        await StreamAsync("s1/1", "t", "so ", "far");

        _store.CopyMessages("s1", "s2", uptoSeq: 1);

        var copy = _store.Messages("s2")[1];
        Assert.Equal(MessageStatus.Interrupted, copy.Status);
        Assert.Equal("so far", copy.Parts.OfType<TextPart>().Single().Text);
        Assert.Equal("so far", Text("s1/1")); // the source goes on streaming, its chunks untouched
        Assert.Equal(2, ChunkCount());
    }

    [Fact]
    public async Task ABatch_WritesTheSamePages_HoweverLongThePartHasGrown()
    {
        await StreamAsync("s1/1", "t", "start");
        var early = FramesOfOneBatch("t");
        for (var i = 0; i < 40; i++) _writer.Append("t", new string('x', 4000)); // 160 KB: about 40 overflow pages as one row
        await _writer.FlushAsync();
        var late = FramesOfOneBatch("t");

        // Appending to the part's row rewrote its whole text each batch: about 45 pages here, against 4 or 5.
        Assert.InRange(late, 1, early + 2);
    }

    /// <summary>The WAL frames (pages) one batch of a short delta adds, counted from an emptied WAL.</summary>
    private int FramesOfOneBatch(string partId)
    {
        Checkpoint("TRUNCATE");
        _writer.Append(partId, "d");
        _writer.FlushAsync().GetAwaiter().GetResult();
        return Checkpoint("PASSIVE");
    }

    /// <returns>How many frames the WAL held.</returns>
    private int Checkpoint(string mode)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt32(1);
    }

    /// <summary>A user's question at seq 0 and a streaming answer at seq 1 with one text part, its text written in <paramref name="deltas"/>, one batch each.</summary>
    private async Task StreamAsync(string messageId, string partId, params string[] deltas)
    {
        _store.InsertMessage(Message("s1/0", 0, MessageStatus.Complete, [new TextPart { Id = "q", Text = "question" }]), owner: null);
        _store.InsertMessage(Message(messageId, 1, MessageStatus.Streaming, []), owner: "gone");
        _writer.InsertPart(messageId, 0, new TextPart { Id = partId, Text = "" });
        foreach (var delta in deltas)
        {
            _writer.Append(partId, delta);
            await _writer.FlushAsync();
        }
    }

    private static SessionMessage Message(string id, int seq, MessageStatus status, List<MessagePart> parts) => new()
    {
        Id = id, SessionId = "s1", Seq = seq, Role = seq == 0 ? MessageRole.User : MessageRole.Assistant, Status = status, Parts = parts,
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(seq),
    };

    private string? Text(string messageId) => _store.Message(messageId)!.Parts.OfType<TextPart>().Single().Text;

    private int ChunkCount() => (int)Scalar<long>("SELECT count(*) FROM part_chunks");

    private T Scalar<T>(string sql)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
