using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/rename</c>.</summary>
public sealed class RenameSessionHandler(SessionService sessions) : RequestHandler<SessionRenameParams, Session>
{
    public override string Method => Methods.SessionRename;
    protected override JsonTypeInfo<SessionRenameParams> ParamsType => PlueJsonContext.Default.SessionRenameParams;
    protected override JsonTypeInfo<Session> ResultType => PlueJsonContext.Default.Session;

    public override ValueTask<Session> HandleAsync(SessionRenameParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessions.Rename(request.Id, request.Title));
}
