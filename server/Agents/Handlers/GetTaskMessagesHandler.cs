using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/messages</c>: the task's transcript in order, or one page of it, like <c>session/messages</c>.</summary>
public sealed class GetTaskMessagesHandler(TaskRecords records, Transcripts.MessageStore messages) : RequestHandler<SessionMessagesParams, SessionMessagesResult>
{
    public override string Method => Methods.TaskMessages;
    protected override JsonTypeInfo<SessionMessagesParams> ParamsType => PlueJsonContext.Default.SessionMessagesParams;
    protected override JsonTypeInfo<SessionMessagesResult> ResultType => PlueJsonContext.Default.SessionMessagesResult;

    public override ValueTask<SessionMessagesResult> HandleAsync(SessionMessagesParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.Limit is < 1) throw RpcException.InvalidParams("limit: must be 1 or more (leave it out for every message)");
        var (page, hasMore) = messages.Page(records.Get(request.Id).Id, request.Limit, request.BeforeSeq);
        return ValueTask.FromResult(new SessionMessagesResult { Messages = page, HasMore = hasMore });
    }
}
