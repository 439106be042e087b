using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/messages</c>: the transcript, in order.</summary>
public sealed class GetSessionMessagesHandler(SessionService sessions, MessageStore messages) : RequestHandler<IdParams, SessionMessagesResult>
{
    public override string Method => Methods.SessionMessages;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<SessionMessagesResult> ResultType => PlueJsonContext.Default.SessionMessagesResult;

    public override ValueTask<SessionMessagesResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SessionMessagesResult { Messages = messages.Messages(sessions.Record(request.Id).Id) });
}
