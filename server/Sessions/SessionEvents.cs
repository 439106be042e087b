using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions;

/// <summary>What the client hears when a chat's totals or state change (its transcript's events are <see cref="Transcripts.TranscriptEvents"/>).</summary>
public sealed class SessionEvents(JsonRpcPeer peer, Func<string, Session?> session)
{
    public ValueTask SessionChangedAsync(string sessionId) =>
        session(sessionId) is { } current
            ? peer.NotifyAsync(Methods.SessionUpdated, new SessionUpdatedParams { Session = current }, PlueJsonContext.Default.SessionUpdatedParams)
            : ValueTask.CompletedTask;
}
