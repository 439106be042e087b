using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/create</c>.</summary>
public sealed class CreateCodexHandler(CodexService codex) : RequestHandler<CodexDraft, CodexRecord>
{
    public override string Method => Methods.CodexCreate;
    protected override JsonTypeInfo<CodexDraft> ParamsType => PlueJsonContext.Default.CodexDraft;
    protected override JsonTypeInfo<CodexRecord> ResultType => PlueJsonContext.Default.CodexRecord;

    // Provenance (spawnedBy) is the runner's to set, never a client's.
    public override ValueTask<CodexRecord> HandleAsync(CodexDraft request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(codex.Create(request with { SpawnedBy = null }));
}
