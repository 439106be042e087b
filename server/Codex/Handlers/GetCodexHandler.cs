using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/get</c>.</summary>
public sealed class GetCodexHandler(CodexService codex) : RequestHandler<IdParams, CodexRecord>
{
    public override string Method => Methods.CodexGet;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<CodexRecord> ResultType => PlueJsonContext.Default.CodexRecord;

    public override ValueTask<CodexRecord> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(codex.Get(request.Id));
}
