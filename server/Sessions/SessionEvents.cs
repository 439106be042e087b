using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions;

/// <summary>What the client hears while a chat changes: part deltas, whole messages, session totals.</summary>
public sealed class SessionEvents(JsonRpcPeer peer, Func<string, Session?> session)
{
    public ValueTask PartDeltaAsync(string sessionId, string messageId, MessagePart part, string delta) =>
        peer.NotifyAsync(Contract.SessionPartDelta, new PartDeltaParams { SessionId = sessionId, MessageId = messageId, PartId = part.Id, Kind = part.Kind, Delta = delta });

    public ValueTask MessageUpdatedAsync(SessionMessage message) =>
        peer.NotifyAsync(Contract.SessionMessageUpdated, new MessageUpdatedParams { Message = message });

    public ValueTask SessionChangedAsync(string sessionId) =>
        session(sessionId) is { } current
            ? peer.NotifyAsync(Contract.SessionUpdated, new SessionUpdatedParams { Session = current })
            : ValueTask.CompletedTask;
}
