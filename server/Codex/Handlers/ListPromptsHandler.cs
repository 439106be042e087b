using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>prompts/list</c>.</summary>
public sealed class ListPromptsHandler(PromptLibrary prompts) : RequestHandler<EmptyParams, IReadOnlyList<PromptInfo>>
{
    public override string Method => Methods.PromptsList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<PromptInfo>> ResultType => PlueJsonContext.Default.IReadOnlyListPromptInfo;

    public override ValueTask<IReadOnlyList<PromptInfo>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(prompts.List());
}
