using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/setModel</c>: the instance and model the next turn calls.</summary>
public sealed class SetSessionModelHandler(SessionService sessions) : RequestHandler<SessionSetModelParams, Session>
{
    public override string Method => Methods.SessionSetModel;
    protected override JsonTypeInfo<SessionSetModelParams> ParamsType => PlueJsonContext.Default.SessionSetModelParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(SessionSetModelParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.SetModel(request.Id, request.InstanceId, request.ModelId));
}
