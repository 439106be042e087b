using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/fork</c>: a new chat with the transcript up to a message.</summary>
public sealed class ForkSessionHandler(SessionService sessions) : RequestHandler<SessionForkParams, Session>
{
    public override string Method => Methods.SessionFork;
    protected override JsonTypeInfo<SessionForkParams> ParamsType => PlueJsonContext.Default.SessionForkParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(SessionForkParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.Fork(request.SessionId, request.MessageId));
}
