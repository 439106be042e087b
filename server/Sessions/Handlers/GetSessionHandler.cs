using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/get</c>.</summary>
public sealed class GetSessionHandler(SessionService sessions) : RequestHandler<IdParams, Session>
{
    public override string Method => Methods.SessionGet;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.Get(request.Id));
}
