using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/resolve</c>: a codex:// reference to its record or prompt.</summary>
public sealed class ResolveReferenceHandler(CodexService codex, PromptLibrary prompts) : RequestHandler<RefParams, ResolveResult>
{
    public override string Method => Methods.CodexResolve;
    protected override JsonTypeInfo<RefParams> ParamsType => PlueJsonContext.Default.RefParams;
    protected override JsonTypeInfo<ResolveResult> ResultType => PlueJsonContext.Default.ResolveResult;

    public override ValueTask<ResolveResult> HandleAsync(RefParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (!CodexReference.TryParse(request.Ref, out var reference, out var error)) throw RpcException.InvalidParams(error);
        return ValueTask.FromResult(reference.IsPrompt
            ? new ResolveResult { Kind = "prompt", Prompt = prompts.Get(request.Ref) }
            : new ResolveResult { Kind = "record", Record = codex.Resolve(reference) });
    }
}
