using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions;

/// <summary>
/// What the client hears when a chat's totals or state change (its transcript's events are
/// <see cref="Transcripts.TranscriptEvents"/>): <c>codex/changed</c> with the chat's fresh view, as for any change to
/// its record, then <c>session/updated</c>, the same view for a client that follows chats alone.
/// </summary>
public sealed class SessionEvents(JsonRpcPeer peer, CodexService codex)
{
    public async ValueTask SessionChangedAsync(string sessionId)
    {
        if (codex.ChangeOf(sessionId) is not { View: ChatView chat } change) return;
        await peer.NotifyAsync(Contract.CodexChanged, change).ConfigureAwait(false);
        await peer.NotifyAsync(Contract.SessionUpdated, new SessionUpdatedParams { Session = chat.Session }).ConfigureAwait(false);
    }

    /// <summary><c>session/queueChanged</c>: one change to a chat's queue (<see cref="ChatQueue"/> tells them in order).</summary>
    public ValueTask QueueChangedAsync(SessionQueueChangedParams change) => peer.NotifyAsync(Contract.SessionQueueChanged, change);
}
