using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/archive</c> (archived: false restores).</summary>
public sealed class ArchiveSessionHandler(SessionService sessions) : RequestHandler<SessionArchiveParams, Session>
{
    public override string Method => Methods.SessionArchive;
    protected override JsonTypeInfo<SessionArchiveParams> ParamsType => PlueJsonContext.Default.SessionArchiveParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(SessionArchiveParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.Archive(request.Id, request.Archived ?? true));
}
