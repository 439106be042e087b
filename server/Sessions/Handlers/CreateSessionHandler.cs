using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/create</c>: a chat bound to an instance and a model.</summary>
public sealed class CreateSessionHandler(SessionService sessions) : RequestHandler<SessionCreateParams, Session>
{
    public override string Method => Methods.SessionCreate;
    protected override JsonTypeInfo<SessionCreateParams> ParamsType => PlueJsonContext.Default.SessionCreateParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(SessionCreateParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.Create(request));
}
