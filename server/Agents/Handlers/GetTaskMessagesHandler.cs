using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/messages</c>: the task's transcript, in order, like <c>session/messages</c>.</summary>
public sealed class GetTaskMessagesHandler(TaskRecords records, Sessions.MessageStore messages) : RequestHandler<TaskIdParams, SessionMessagesResult>
{
    public override string Method => Methods.TaskMessages;
    protected override JsonTypeInfo<TaskIdParams> ParamsType => PlueJsonContext.Default.TaskIdParams;
    protected override JsonTypeInfo<SessionMessagesResult> ResultType => PlueJsonContext.Default.SessionMessagesResult;

    public override ValueTask<SessionMessagesResult> HandleAsync(TaskIdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SessionMessagesResult { Messages = messages.Messages(records.Get(request.Id).Id) });
}
