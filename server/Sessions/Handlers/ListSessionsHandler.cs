using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/list</c>: newest first.</summary>
public sealed class ListSessionsHandler(SessionService sessions) : RequestHandler<SessionListParams, IReadOnlyList<Session>>
{
    public override string Method => Methods.SessionList;
    protected override JsonTypeInfo<SessionListParams> ParamsType => PlueJsonContext.Default.SessionListParams;
    protected override JsonTypeInfo<IReadOnlyList<Session>> ResultType => PlueJsonContext.Default.IReadOnlyListSession;

    public override ValueTask<IReadOnlyList<Session>> HandleAsync(SessionListParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.List(request.Archived ?? false));
}
