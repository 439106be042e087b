using Plue.Protocol;
using Plue.Tests.Sessions;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// A sidecar that starts on a home where messages were left streaming: those of a dead sidecar become interrupted with
/// their text, those of a live one (another window) are left alone.
/// </summary>
public sealed class TranscriptRecoveryTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Start_MarksADeadSidecarsStreamingMessagesInterrupted_KeepingTheirText_AndLeavesALiveOnesAlone()
    {
        var store = _world.Service<MessageStore>();
        Insert(store, 0, MessageRole.User, MessageStatus.Complete, owner: null, "Write a poem");
        Insert(store, 1, MessageRole.Assistant, MessageStatus.Streaming, owner: "2147483000:1", "Roses are");
        Insert(store, 2, MessageRole.Assistant, MessageStatus.Streaming, owner: TranscriptOwner.Current, "Still going");

        await _world.RestartAsync();

        var restarted = _world.Service<MessageStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (restarted.Message($"{_world.SessionId}/1")!.Status == MessageStatus.Streaming && DateTime.UtcNow < deadline) await Task.Delay(20);
        var messages = (await _world.MessagesAsync()).Select(m => (m!["status"]!.GetValue<string>(), m["parts"]![0]!["text"]!.GetValue<string>())).ToList();
        Assert.Equal([("complete", "Write a poem"), ("interrupted", "Roses are"), ("streaming", "Still going")], messages);
        Assert.Contains("text so far is kept", restarted.Message($"{_world.SessionId}/1")!.Error);
    }

    private void Insert(MessageStore store, int seq, MessageRole role, MessageStatus status, string? owner, string text) => store.InsertMessage(new SessionMessage
    {
        Id = $"{_world.SessionId}/{seq}", SessionId = _world.SessionId, Seq = seq, Role = role, Status = status,
        Parts = [new TextPart { Id = $"{_world.SessionId}/{seq}/p", Text = text }], CreatedAt = DateTimeOffset.UtcNow,
    }, owner);
}
