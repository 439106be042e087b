using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>templates/list</c>: every template file, with its problems, so a broken one is visible.</summary>
public sealed class ListTemplatesHandler(TemplateRegistry registry) : RequestHandler<EmptyParams, IReadOnlyList<TemplateSummary>>
{
    public override string Method => Methods.TemplatesList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<TemplateSummary>> ResultType => PlueJsonContext.Default.IReadOnlyListTemplateSummary;

    public override ValueTask<IReadOnlyList<TemplateSummary>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var set = registry.Current;
        return ValueTask.FromResult<IReadOnlyList<TemplateSummary>>([.. set.Files.Select(f => TemplateDtos.Summary(f, set))]);
    }
}
