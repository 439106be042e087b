using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/messages</c>: the transcript in order, or one page of it (the latest messages before a seq).</summary>
public sealed class GetSessionMessagesHandler(SessionService sessions, MessageStore messages) : RequestHandler<SessionMessagesParams, SessionMessagesResult>
{
    public override string Method => Methods.SessionMessages;
    protected override JsonTypeInfo<SessionMessagesParams> ParamsType => PlueJsonContext.Default.SessionMessagesParams;
    protected override JsonTypeInfo<SessionMessagesResult> ResultType => PlueJsonContext.Default.SessionMessagesResult;

    public override ValueTask<SessionMessagesResult> HandleAsync(SessionMessagesParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.Limit is < 1) throw RpcException.InvalidParams("limit: must be 1 or more (leave it out for every message)");
        var (page, hasMore) = messages.Page(sessions.Record(request.Id).Id, request.Limit, request.BeforeSeq);
        return ValueTask.FromResult(new SessionMessagesResult { Messages = page, HasMore = hasMore });
    }
}
