using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Plue.Protocol;
using Plue.Sessions;
using Plue.Store;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Sessions;

/// <summary>
/// A long chat through the real sidecar: a turn sends the model the whole history but reads from the store only what
/// changed since the chat's last turn (as the store's <c>plue.transcripts.messages_read</c> counter tells), and what
/// changed (another process's message, a regenerate, an edit) is in the history the model gets.
/// </summary>
public sealed class LongChatTests : IAsyncLifetime
{
    private const int Length = 400;
    private ChatWorld _world = null!;
    private MessageStore _otherProcess = null!;

    public async Task InitializeAsync()
    {
        _world = await ChatWorld.StartAsync();
        // Another window's sidecar on the same store: its own MessageStore, its own cache.
        _otherProcess = new MessageStore(new Database(Path.Combine(_world.Home, "plue.db")), TestMeters.Shared);
        for (var seq = 0; seq < Length; seq++) Insert(seq, $"Message {seq}");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private MessageStore Store => _world.Service<MessageStore>();

    /// <summary>How many messages this window's store has built from rows it read, as its <c>plue.transcripts.messages_read</c> counter says.</summary>
    private long MessagesRead() => Instruments.Read(_world.Service<IMeterFactory>(), "Plue.Transcripts", "plue.transcripts.messages_read");

    [Fact]
    public async Task Turns_ReadOnlyWhatChangedSinceTheLastTurn_AndSendTheWholeHistory()
    {
        await TurnAsync("first");
        Assert.Equal(Length + 1, Sent().Count);

        var read = MessagesRead();
        await TurnAsync("second");
        Assert.InRange(MessagesRead() - read, 1, 3); // the last answer and the new question, not the chat's 400 messages
        Assert.Equal(Length + 3, Sent().Count);
        Assert.Equal("second", Sent()[^1]);

        // Another process adds a message: the next turn reads it, and the model gets it.
        Insert(Length + 4, "written by the command line");
        read = MessagesRead();
        await TurnAsync("third");
        Assert.InRange(MessagesRead() - read, 1, 4);
        Assert.Equal(["written by the command line", "third"], Sent()[^2..]);
    }

    [Fact]
    public async Task RegenerateAndEdit_SendTheHistoryWithoutWhatTheySuperseded()
    {
        await TurnAsync("question");
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("again"));
        await _world.Rpc.CallAsync("session/regenerate", new JsonObject { ["sessionId"] = _world.SessionId });
        Assert.Equal("question", Sent()[^1]); // the first answer is not sent back

        // The chat is longer than a page: message 10 is read as the page before seq 11.
        var page = await _world.Rpc.CallAsync("session/messages", new JsonObject { ["id"] = _world.SessionId, ["limit"] = 1, ["beforeSeq"] = 11 });
        var early = page!["messages"]!.AsArray().Single(m => m!["seq"]!.GetValue<int>() == 10)!["id"]!.GetValue<string>();
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("edited"));
        await _world.Rpc.CallAsync("session/editAndResend", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = early, ["text"] = "Message 10, edited" });
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"Message {i}"), "Message 10, edited"], Sent());

        var session = await _world.SessionAsync();
        Assert.Equal(12, session["messageCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task AWindowOpenedOnALongChat_ReadsItAhead_SoItsFirstTurnReadsOnlyItsQuestion()
    {
        await _world.RestartAsync();
        // The new window's sidecar reads the latest chat once initialize is answered, before any turn asks for it.
        for (var waited = 0; MessagesRead() < Length; waited += 20)
        {
            Assert.True(waited < 10_000, $"the chat was not read ahead ({MessagesRead()} of {Length} messages read)");
            await Task.Delay(20);
        }

        var read = MessagesRead();
        await TurnAsync("first after opening");
        Assert.InRange(MessagesRead() - read, 1, 3);
        Assert.Equal(Length + 1, Sent().Count);
    }

    [Fact]
    public async Task ReadingAhead_StopsOnceATurnHasStarted_ForTheTurnReadsItsOwn()
    {
        var warmup = _world.Service<IEnumerable<IHostedService>>().OfType<ChatWarmup>().Single();
        // Before any turn, the warm-up brings the latest chat's transcript into the cache.
        Insert(Length, "read ahead");
        await warmup.WarmAsync();
        var read = MessagesRead();
        Store.Messages(_world.SessionId);
        Assert.Equal(read, MessagesRead());

        // Once a turn has started it reads nothing ahead: a change made since is left for the next turn to read.
        await TurnAsync("first");
        Insert(Length + 3, "written by the command line");
        read = MessagesRead();
        await warmup.WarmAsync();
        Assert.Equal(read, MessagesRead());
        Assert.Equal("written by the command line", ((TextPart)Store.Messages(_world.SessionId)[^1].Parts[0]).Text);
        Assert.InRange(MessagesRead() - read, 1, 3); // it, and the answer as last changed
    }

    private async Task TurnAsync(string text)
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("answer to " + text));
        await _world.Rpc.CallAsync("session/send", _world.Send(text));
    }

    /// <summary>The texts of the last request's messages (the system prompt left out), in order.</summary>
    private List<string> Sent() =>
        [.. _world.Fake.Requests[^1].Json["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() != "system").Select(m => m!["content"] is JsonValue v ? v.GetValue<string>() : m!["content"]![0]!["text"]!.GetValue<string>())];

    private void Insert(int seq, string text) => _otherProcess.InsertMessage(new SessionMessage
    {
        Id = Guid.CreateVersion7().ToString(), SessionId = _world.SessionId, Seq = seq, Role = seq % 2 == 0 ? MessageRole.User : MessageRole.Assistant,
        Status = MessageStatus.Complete, Parts = [new TextPart { Id = Guid.CreateVersion7().ToString(), Text = text }], CreatedAt = DateTimeOffset.UtcNow,
    }, owner: null);
}
