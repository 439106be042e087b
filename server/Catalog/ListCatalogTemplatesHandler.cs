using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/templates</c>: starting points for a custom provider (OpenAI-compatible, Anthropic-compatible, local server).</summary>
public sealed class ListCatalogTemplatesHandler : RequestHandler<EmptyParams, IReadOnlyList<CatalogTemplate>>
{
    public override string Method => Methods.CatalogTemplates;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<CatalogTemplate>> ResultType => PlueJsonContext.Default.IReadOnlyListCatalogTemplate;

    public override ValueTask<IReadOnlyList<CatalogTemplate>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CatalogTemplates.All);
}
