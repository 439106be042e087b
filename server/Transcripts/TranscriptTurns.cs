using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>
/// How messages enter a transcript, a chat's or a task's: a user's message at once, a model's answer streamed into
/// parts (deltas to the client at once, text and new parts to SQLite in small batches) and finished with its usage and
/// cost. Cancelling a stream keeps what arrived.
/// </summary>
public sealed class TranscriptTurns
{
    private readonly MessageStore _messages;
    private readonly TranscriptWriter _writer;
    private readonly TranscriptEvents _events;
    private readonly CatalogStore _catalog;
    private readonly FallbackChain _fallbacks;

    internal TranscriptTurns(MessageStore messages, TranscriptWriter writer, TranscriptEvents events, CatalogStore catalog, FallbackChain fallbacks)
    {
        _messages = messages;
        _writer = writer;
        _events = events;
        _catalog = catalog;
        _fallbacks = fallbacks;
    }

    /// <summary>Stores a complete user message with these parts and tells the client.</summary>
    public async Task<SessionMessage> AddUserAsync(string transcriptId, List<MessagePart> parts)
    {
        var message = NewMessage(transcriptId, MessageRole.User, MessageStatus.Complete, parts, modelId: null, instanceId: null);
        _messages.InsertMessage(message, owner: null);
        await _events.MessageUpdatedAsync(message).ConfigureAwait(false);
        return message;
    }

    /// <summary>Adds parts at the end of a stored message (an agent hook's notice after an answer) and tells the client.</summary>
    public async Task AppendAsync(SessionMessage message, IReadOnlyList<MessagePart> parts)
    {
        if (parts.Count == 0) return;
        var next = (_messages.Message(message.Id) ?? message).Parts.Count;
        foreach (var part in parts) _messages.InsertPart(message.Id, next++, part);
        if (_messages.Message(message.Id) is { } updated) await _events.MessageUpdatedAsync(updated).ConfigureAwait(false);
    }

    /// <summary>Stores a system-role message: text the model reads as system content from the next turn on.</summary>
    public async Task<SessionMessage> AddSystemAsync(string transcriptId, string text)
    {
        var message = NewMessage(transcriptId, MessageRole.System, MessageStatus.Complete, [new TextPart { Id = TranscriptIds.New(), Text = text }], modelId: null, instanceId: null);
        _messages.InsertMessage(message, owner: null);
        await _events.MessageUpdatedAsync(message).ConfigureAwait(false);
        return message;
    }

    /// <summary>Stores an empty assistant message, streaming and owned by this process, for <see cref="StreamAnswerAsync"/> to fill.</summary>
    public SessionMessage StartAnswer(string transcriptId, ProviderConnection connection, string modelId)
    {
        var answer = NewMessage(transcriptId, MessageRole.Assistant, MessageStatus.Streaming, [], modelId, connection.InstanceId);
        _messages.InsertMessage(answer, TranscriptOwner.Current);
        return answer;
    }

    /// <summary>
    /// Streams one model call into <paramref name="answer"/> and returns it finished (complete, cancelled or error), priced by
    /// the catalog unless the backend reports its own cost. When the call fails before anything was shown with overload, a
    /// rate limit past its retries or an unreachable endpoint, the next of <paramref name="fallbacks"/> (else the
    /// instance's) answers instead, and the message says so. With a <paramref name="limit"/>, the stream is stopped
    /// (cancelled, what arrived kept) once its counted cost reaches it.
    /// </summary>
    public Task<SessionMessage> StreamAnswerAsync(SessionMessage answer, ProviderConnection connection, IChatClient client, List<ChatMessage> history,
        ChatOptions options, CancellationToken cancellationToken, IReadOnlyList<ModelFallback>? fallbacks = null, SpendLimit? limit = null)
    {
        var modelId = answer.ModelId ?? options.ModelId ?? "";
        return new AnswerStream(answer, _messages, _writer, _events, limit)
            .RunAsync(new AnswerRoute(connection, client, modelId), _fallbacks.Routes(connection, modelId, fallbacks, answer.SessionId), history, options,
                (route, usage) => TurnCost.Compute(_catalog, route.Connection, route.ModelId, usage), cancellationToken);
    }

    private SessionMessage NewMessage(string transcriptId, MessageRole role, MessageStatus status, List<MessagePart> parts, string? modelId, string? instanceId) => new()
    {
        Id = TranscriptIds.New(),
        SessionId = transcriptId,
        Seq = _messages.NextSeq(transcriptId),
        Role = role,
        Status = status,
        Parts = parts,
        ModelId = modelId,
        InstanceId = instanceId,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
