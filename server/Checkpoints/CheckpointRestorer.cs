using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Checkpoints;

/// <summary><c>checkpoint/restore</c>: the files through the store, the conversation by hiding the message and every later one.</summary>
public sealed class CheckpointRestorer(CheckpointStore store, CheckpointOwners owners, MessageStore messages)
{
    public async Task<CheckpointRestoreResult> RestoreAsync(CheckpointRestoreParams request, CancellationToken cancellationToken)
    {
        var files = request.Files ?? true;
        var conversation = request.Conversation ?? false;
        if (!files && !conversation) throw RpcException.InvalidParams("Ask for files, conversation or both.");
        if (conversation && request.MessageId is null) throw RpcException.InvalidParams("Restoring the conversation needs the messageId of a user message.");
        if (owners.Streaming(request.SessionId)) throw PlueErrors.Conflict("A reply is streaming in this chat: stop it, then restore.");
        (long At, int Seq)? message = request.MessageId is { } messageId
            ? owners.Message(request.SessionId, messageId) ?? throw PlueErrors.NotFound($"There is no message {messageId} in this chat: reload it and try again.")
            : null;
        var since = message?.At
            ?? (request.CheckpointId is { } checkpointId
                ? store.TimeOf(request.SessionId, checkpointId) ?? throw PlueErrors.NotFound($"There is no checkpoint {checkpointId} in this chat: it was removed; reopen the chat to see those there are.")
                : throw RpcException.InvalidParams("Name the messageId or the checkpointId to restore to."));

        var result = files
            ? await store.RestoreAsync(request.SessionId, since, request.MessageId, request.Force ?? false, cancellationToken).ConfigureAwait(false)
            : new CheckpointRestoreResult { Restored = true, Conflicts = [], Files = [] };
        if (!result.Restored || !conversation || message is not { } sent) return result;
        var text = messages.Message(request.MessageId!)?.Parts.OfType<TextPart>().Select(p => p.Text).FirstOrDefault();
        messages.Supersede(request.SessionId, sent.Seq);
        return result with { Text = text };
    }
}
