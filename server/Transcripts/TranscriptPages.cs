using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Transcripts;

/// <summary>Reads a transcript, a chat's or a task's, in order or one page of it (the latest messages before a seq).</summary>
public static class TranscriptPages
{
    /// <param name="ownerId">The transcript's owner for the id asked for; throws when there is none.</param>
    public static SessionMessagesResult Read(MessageStore messages, SessionMessagesParams request, Func<string, string> ownerId)
    {
        if (request.Limit is < 1) throw RpcException.InvalidParams("limit: must be 1 or more (leave it out for every message)");
        var (page, hasMore) = messages.Page(ownerId(request.Id), request.Limit, request.BeforeSeq);
        return new SessionMessagesResult { Messages = page, HasMore = hasMore };
    }
}
