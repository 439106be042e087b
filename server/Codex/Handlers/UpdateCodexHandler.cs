using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/update</c>: optimistic concurrency on <c>version</c>.</summary>
public sealed class UpdateCodexHandler(CodexService codex) : RequestHandler<CodexChange, CodexRecord>
{
    public override string Method => Methods.CodexUpdate;
    protected override JsonTypeInfo<CodexChange> ParamsType => PlueJsonContext.Default.CodexChange;
    protected override JsonTypeInfo<CodexRecord> ResultType => PlueJsonContext.Default.CodexRecord;

    public override ValueTask<CodexRecord> HandleAsync(CodexChange request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(codex.Update(request));
}
