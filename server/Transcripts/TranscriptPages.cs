using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Transcripts;

/// <summary>
/// Reads one page of a transcript, a chat's or a task's: the latest messages before a seq. Always a page: a long
/// chat read whole took seconds and hundreds of MB in one answer.
/// </summary>
public static class TranscriptPages
{
    /// <summary>The page when the client gives no limit.</summary>
    public const int DefaultPage = 200;

    /// <summary>The largest page a client may ask for; older messages come with <c>beforeSeq</c>.</summary>
    public const int MaxPage = 1000;

    /// <param name="ownerId">The transcript's owner for the id asked for; throws when there is none.</param>
    public static SessionMessagesResult Read(MessageStore messages, SessionMessagesParams request, Func<string, string> ownerId)
    {
        if (request.Limit is < 1) throw RpcException.InvalidParams($"limit: must be 1 or more (leave it out for the latest {DefaultPage} messages)");
        if (request.Limit > MaxPage) throw RpcException.InvalidParams($"limit: at most {MaxPage} messages a page; ask for older ones with beforeSeq (the seq of the oldest message you hold)");
        var (page, hasMore) = messages.Page(ownerId(request.Id), request.Limit ?? DefaultPage, request.BeforeSeq);
        return new SessionMessagesResult { Messages = page, HasMore = hasMore };
    }

    /// <summary>One message of the transcript <paramref name="ownerId"/>; another transcript's message is not found.</summary>
    public static SessionMessage One(MessageStore messages, string messageId, string ownerId) =>
        messages.Message(messageId) is { } message && message.SessionId == ownerId
            ? message
            : throw PlueErrors.NotFound($"No message {messageId} in this chat: it was deleted or belongs to another chat. Open the chat again to see the messages it has.");
}
