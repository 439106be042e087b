using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/delete</c> (undoable).</summary>
public sealed class DeleteCodexHandler(CodexService codex) : RequestHandler<IdParams, DeletedResult>
{
    public override string Method => Methods.CodexDelete;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<DeletedResult> ResultType => PlueJsonContext.Default.DeletedResult;

    public override ValueTask<DeletedResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken)
    {
        codex.Delete(request.Id);
        return ValueTask.FromResult(new DeletedResult { Deleted = true });
    }
}
