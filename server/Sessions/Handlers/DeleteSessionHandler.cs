using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/delete</c>: undoable with codex/undo.</summary>
public sealed class DeleteSessionHandler(SessionService sessions) : RequestHandler<IdParams, DeletedResult>
{
    public override string Method => Methods.SessionDelete;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<DeletedResult> ResultType => PlueJsonContext.Default.DeletedResult;

    public override ValueTask<DeletedResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        Delete(sessions, request.Id);

    private static ValueTask<DeletedResult> Delete(SessionService sessions, string id)
    {
        sessions.Delete(id);
        return ValueTask.FromResult(new DeletedResult { Deleted = true });
    }
}
