using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/history</c>: newest change first.</summary>
public sealed class CodexHistoryHandler(CodexService codex) : RequestHandler<IdParams, IReadOnlyList<HistoryEntry>>
{
    public override string Method => Methods.CodexHistory;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<IReadOnlyList<HistoryEntry>> ResultType => PlueJsonContext.Default.IReadOnlyListHistoryEntry;

    public override ValueTask<IReadOnlyList<HistoryEntry>> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(codex.History(request.Id));
}
