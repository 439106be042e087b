using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Transcripts;

/// <summary>
/// What the client hears while a transcript grows: part deltas and whole messages. A task's transcript is sent the
/// same way as a chat's, with the task id as the session id.
/// </summary>
public sealed class TranscriptEvents(JsonRpcPeer peer)
{
    internal ValueTask PartDeltaAsync(string transcriptId, string messageId, MessagePart part, string delta) =>
        peer.NotifyAsync(Contract.SessionPartDelta, new PartDeltaParams { SessionId = transcriptId, MessageId = messageId, PartId = part.Id, Kind = part.Kind, Delta = delta });

    public ValueTask MessageUpdatedAsync(SessionMessage message) =>
        peer.NotifyAsync(Contract.SessionMessageUpdated, new MessageUpdatedParams { Message = message });
}
