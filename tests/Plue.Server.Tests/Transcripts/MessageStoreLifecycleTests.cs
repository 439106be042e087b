using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Protocol;
using Plue.Store;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// A message's life in the store on a real SQLite file: every status and part kind as stored, superseding, copying
/// into a fork, totals, orphaned streaming messages, and the writer's last batch on dispose.
/// </summary>
public sealed class MessageStoreLifecycleTests : IDisposable
{
    private const string DeadOwner = "2147483000:1";
    private readonly TempDir _dir = new();
    private readonly Database _database;
    private readonly MessageStore _store;

    public MessageStoreLifecycleTests()
    {
        _database = new Database(Path.Combine(_dir.Path, "plue.db"));
        _store = new MessageStore(_database, TestMeters.Shared);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(MessageStatus.Complete)]
    [InlineData(MessageStatus.Streaming)]
    [InlineData(MessageStatus.Cancelled)]
    [InlineData(MessageStatus.Interrupted)]
    [InlineData(MessageStatus.Error)]
    [InlineData(MessageStatus.Superseded)]
    public void EveryStatus_ReadsBackAsStored(MessageStatus status)
    {
        Insert("s1", 0, MessageRole.Assistant, status);

        Assert.Equal(status, _store.Message("s1/0")!.Status);
        Assert.Equal(status == MessageStatus.Superseded ? 0 : 1, _store.Messages("s1").Count);
        Assert.Single(_store.Messages("s1", includeSuperseded: true));
    }

    [Theory]
    [InlineData("text", PartKind.Text)]
    [InlineData("reasoning", PartKind.Reasoning)]
    [InlineData("file", PartKind.File)]
    [InlineData("tool_use", PartKind.ToolUse)]
    [InlineData("tool_result", PartKind.ToolResult)]
    [InlineData("step", PartKind.Step)]
    [InlineData("instructions", PartKind.Instructions)]
    [InlineData("summary", PartKind.Summary)]
    public void APartRowWithoutData_ReadsBackAsAnEmptyPartOfItsKind(string kind, PartKind expected)
    {
        Insert("s1", 0, MessageRole.Assistant, MessageStatus.Complete, parts: []);
        using (var connection = _database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO parts (id, message_id, seq, kind, text, data) VALUES ('p', 's1/0', 0, $kind, '', NULL)";
            command.Parameters.AddWithValue("$kind", kind);
            command.ExecuteNonQuery();
        }

        var part = Assert.Single(_store.Message("s1/0")!.Parts);

        Assert.Equal((expected, "p"), (part.Kind, part.Id));
    }

    [Fact]
    public void EveryPartKind_RoundTrips_AndUpdatePartReplacesFieldsAndText()
    {
        MessagePart[] parts =
        [
            new TextPart { Id = "t", Text = "Hello" },
            new ReasoningPart { Id = "r", Text = "Hmm", Signature = "sig" },
            new FilePart { Id = "f", Path = "a.md", Content = "# A", Language = "markdown" },
            new ToolUsePart { Id = "u", ToolCallId = "c1", Name = "read", State = ToolState.Running },
            new ToolResultPart { Id = "o", ToolCallId = "c1", Output = "# A", IsError = false },
            new StepPart { Id = "s", FinishReason = "stop", CostUsd = 0.25m },
        ];
        Insert("s1", 0, MessageRole.Assistant, MessageStatus.Complete, parts);

        _store.UpdatePart(new ToolUsePart { Id = "u", ToolCallId = "c1", Name = "read", State = ToolState.Completed });
        _store.UpdatePart(new TextPart { Id = "t", Text = "Hello, again" });

        var stored = _store.Message("s1/0")!.Parts;
        Assert.Equal(parts.Select(p => p.Kind), stored.Select(p => p.Kind));
        Assert.Equal("Hello, again", Assert.IsType<TextPart>(stored[0]).Text);
        Assert.Equal(("Hmm", "sig"), (Assert.IsType<ReasoningPart>(stored[1]).Text, ((ReasoningPart)stored[1]).Signature));
        Assert.Equal(("a.md", "# A", "markdown"), (Assert.IsType<FilePart>(stored[2]).Path, ((FilePart)stored[2]).Content, ((FilePart)stored[2]).Language));
        Assert.Equal(ToolState.Completed, Assert.IsType<ToolUsePart>(stored[3]).State);
        Assert.Equal("# A", Assert.IsType<ToolResultPart>(stored[4]).Output);
        Assert.Equal(0.25m, Assert.IsType<StepPart>(stored[5]).CostUsd);
        Assert.Null(_store.Message("no-such-message"));
    }

    [Fact]
    public void Supersede_HidesFromThatSeqOn_AndNextSeqStillCountsThem()
    {
        for (var seq = 0; seq < 4; seq++) Insert("s1", seq, seq % 2 == 0 ? MessageRole.User : MessageRole.Assistant, MessageStatus.Complete);

        _store.Supersede("s1", 2);

        Assert.Equal([0, 1], _store.Messages("s1").Select(m => m.Seq));
        Assert.Equal([MessageStatus.Complete, MessageStatus.Complete, MessageStatus.Superseded, MessageStatus.Superseded], _store.Messages("s1", includeSuperseded: true).Select(m => m.Status));
        Assert.Equal(4, _store.NextSeq("s1"));
        Assert.Equal(0, _store.NextSeq("empty"));
        Assert.Equal((1, 1), (_store.Count("s1", MessageRole.User), _store.Count("s1", MessageRole.Assistant)));
        var (page, hasMore) = _store.Page("s1", limit: 10, beforeSeq: null);
        Assert.Equal([0, 1], page.Select(m => m.Seq));
        Assert.False(hasMore);
        Assert.Equal((0, false), (_store.Page("empty", limit: 5, beforeSeq: null).Messages.Count, _store.Page("empty", limit: 5, beforeSeq: null).HasMore));
    }

    [Fact]
    public void Totals_AddTheAnswersUsage_TheLastInputIsTheContext_AndOneUnpricedAnswerMakesTheCostALowerBound()
    {
        Insert("s1", 0, MessageRole.User, MessageStatus.Complete);
        Insert("s1", 1, MessageRole.Assistant, MessageStatus.Complete, usage: new TokenUsage { Input = 100, Output = 10, CacheWrite = 7 }, cost: 0.5m);
        Insert("s1", 2, MessageRole.User, MessageStatus.Complete);
        Insert("s1", 3, MessageRole.Assistant, MessageStatus.Error); // no usage: counted, adds nothing
        Insert("s1", 4, MessageRole.Assistant, MessageStatus.Complete, usage: new TokenUsage { Input = 300, Output = 20 }, cost: 0.25m);

        var priced = _store.Totals("s1");
        Assert.Equal((new TokenUsage { Input = 400, Output = 30, CacheWrite = 7 }, (decimal?)0.75m, 5, 300L), (priced.Spent.Usage, priced.Spent.Usd, priced.Count, priced.ContextTokens));
        Assert.Equal([CostSource.Catalog], priced.Spent.Sources);

        Insert("s1", 5, MessageRole.Assistant, MessageStatus.Complete, usage: new TokenUsage { Input = 50, Output = 5 }, cost: null);
        Insert("s1", 6, MessageRole.Assistant, MessageStatus.Complete, usage: new TokenUsage { Input = 0, Output = 5 }, cost: 1m);
        var unpriced = _store.Totals("s1");
        Assert.Equal((1.75m, true), (unpriced.Spent.Usd, unpriced.Spent.IsLowerBound));
        Assert.Equal([CostSource.Catalog, CostSource.Unknown], unpriced.Spent.Sources);
        Assert.Equal((7, 50L), (unpriced.Count, unpriced.ContextTokens));
        var empty = _store.Totals("empty");
        Assert.Equal((TokenUsage.Zero, (decimal?)0m, 0, 0L), (empty.Spent.Usage, empty.Spent.Usd, empty.Count, empty.ContextTokens));

        // Nothing known at all: null, not "at least $0".
        Insert("s2", 0, MessageRole.Assistant, MessageStatus.Complete, usage: new TokenUsage { Input = 5, Output = 5 }, cost: null);
        Assert.Null(_store.Totals("s2").Spent.Usd);
    }

    [Fact]
    public void MarkInterrupted_TakesMessagesWhoseOwnerIsGoneOrUnknown_KeepsTheirText_AndLeavesALiveOwnersAlone()
    {
        Insert("s1", 0, MessageRole.Assistant, MessageStatus.Streaming, owner: DeadOwner);
        Insert("s1", 1, MessageRole.Assistant, MessageStatus.Streaming, owner: null);
        Insert("s1", 2, MessageRole.Assistant, MessageStatus.Streaming, owner: TranscriptOwner.Current);
        Insert("s1", 3, MessageRole.Assistant, MessageStatus.Complete, owner: DeadOwner);

        Assert.Equal(2, _store.MarkInterrupted(o => TranscriptOwner.IsAlive(o, _dir.Path)));

        var messages = _store.Messages("s1");
        Assert.Equal([MessageStatus.Interrupted, MessageStatus.Interrupted, MessageStatus.Streaming, MessageStatus.Complete], messages.Select(m => m.Status));
        Assert.Contains("text so far is kept", messages[0].Error);
        Assert.Equal("text of s1/0", Assert.IsType<TextPart>(messages[0].Parts[0]).Text);
        Assert.Null(messages[2].Error);
        Assert.Equal(0, _store.MarkInterrupted(o => TranscriptOwner.IsAlive(o, _dir.Path)));
    }

    [Fact]
    public void CopyMessages_CopiesLiveMessagesUpToTheSeq_RenumberedWithNewIds_AndAStreamingOneArrivesInterrupted()
    {
        Insert("s1", 0, MessageRole.User, MessageStatus.Complete);
        Insert("s1", 1, MessageRole.Assistant, MessageStatus.Superseded);
        Insert("s1", 2, MessageRole.Assistant, MessageStatus.Streaming, owner: TranscriptOwner.Current, usage: new TokenUsage { Input = 9 }, cost: 0.1m);
        Insert("s1", 3, MessageRole.User, MessageStatus.Complete);

        _store.CopyMessages("s1", "fork", uptoSeq: 2);

        var fork = _store.Messages("fork", includeSuperseded: true);
        Assert.Equal([(0, MessageRole.User, MessageStatus.Complete), (1, MessageRole.Assistant, MessageStatus.Interrupted)], fork.Select(m => (m.Seq, m.Role, m.Status)));
        Assert.DoesNotContain(fork, m => m.Id.StartsWith("s1/", StringComparison.Ordinal));
        Assert.Equal(["text of s1/0", "text of s1/2"], fork.Select(m => Assert.IsType<TextPart>(Assert.Single(m.Parts)).Text));
        Assert.DoesNotContain(fork.SelectMany(m => m.Parts), p => p.Id.StartsWith("s1/", StringComparison.Ordinal));
        Assert.Equal((9L, 0.1m), (fork[1].Usage!.Input, fork[1].CostUsd!.Value));
        // The copy is nobody's stream: recovery has nothing to do with it, and the source keeps its own.
        Assert.Equal(1, _store.MarkInterrupted(_ => false)); // the source's own streaming message only
        Assert.Equal(MessageStatus.Interrupted, _store.Message("s1/2")!.Status);
    }

    [Fact]
    public void Finish_SetsStatusUsageAndCost_KeepsTheModelWhenNoneIsGiven_AndReleasesTheOwner()
    {
        Insert("s1", 0, MessageRole.Assistant, MessageStatus.Streaming, owner: DeadOwner);

        _store.Finish("s1/0", MessageStatus.Cancelled, null, new TokenUsage { Input = 3, Output = 1 }, 0.01m, CostSource.Estimate, modelId: null);

        var finished = _store.Message("s1/0")!;
        Assert.Equal((MessageStatus.Cancelled, "model-a", 3L, 0.01m, CostSource.Estimate), (finished.Status, finished.ModelId, finished.Usage!.Input, finished.CostUsd!.Value, finished.CostSource));
        Assert.Equal(0, _store.MarkInterrupted(_ => false));
    }

    [Fact]
    public void TranscriptWriter_Dispose_WritesWhatIsStillQueued_AndKeepsTheOrderOfInterleavedParts()
    {
        Insert("s1", 0, MessageRole.Assistant, MessageStatus.Streaming, parts: []);
        var writer = new TranscriptWriter(_store, NullLogger<TranscriptWriter>.Instance);
        writer.InsertPart("s1/0", 0, new TextPart { Id = "a", Text = "" });
        writer.InsertPart("s1/0", 1, new ReasoningPart { Id = "b", Text = "" });
        foreach (var (part, delta) in new[] { ("a", "one "), ("a", "two "), ("b", "why "), ("a", "three"), ("b", "not") }) writer.Append(part, delta);

        writer.Dispose();

        Assert.Equal([("a", "one two three"), ("b", "why not")], _store.Message("s1/0")!.Parts.Select(p => (p.Id, PartText.Of(p))));
    }

    private void Insert(string session, int seq, MessageRole role, MessageStatus status, MessagePart[]? parts = null, string? owner = null,
        TokenUsage? usage = null, decimal? cost = null) => _store.InsertMessage(new SessionMessage
        {
            Id = $"{session}/{seq}", SessionId = session, Seq = seq, Role = role, Status = status, ModelId = "model-a",
            Parts = [.. parts ?? [new TextPart { Id = $"{session}/{seq}/p", Text = $"text of {session}/{seq}" }]],
            Usage = usage, CostUsd = cost, CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(seq),
        }, owner);
}
