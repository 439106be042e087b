using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/undo</c>.</summary>
public sealed class UndoCodexHandler(CodexService codex) : RequestHandler<IdParams, UndoResult>
{
    public override string Method => Methods.CodexUndo;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<UndoResult> ResultType => PlueJsonContext.Default.UndoResult;

    public override ValueTask<UndoResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new UndoResult { Record = codex.Undo(request.Id) });
}
