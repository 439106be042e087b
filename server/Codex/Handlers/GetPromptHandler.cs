using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>prompts/get</c>.</summary>
public sealed class GetPromptHandler(PromptLibrary prompts) : RequestHandler<RefParams, Prompt>
{
    public override string Method => Methods.PromptsGet;
    protected override JsonTypeInfo<RefParams> ParamsType => PlueJsonContext.Default.RefParams;
    protected override JsonTypeInfo<Prompt> ResultType => PlueJsonContext.Default.Prompt;

    public override ValueTask<Prompt> HandleAsync(RefParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(prompts.Get(request.Ref));
}
