using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/list</c>: every provider, shipped and user, sorted by id.</summary>
public sealed class ListCatalogHandler(CatalogStore store) : RequestHandler<EmptyParams, IReadOnlyList<CatalogProviderSummary>>
{
    public override string Method => Methods.CatalogList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<CatalogProviderSummary>> ResultType => PlueJsonContext.Default.IReadOnlyListCatalogProviderSummary;

    public override ValueTask<IReadOnlyList<CatalogProviderSummary>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CatalogProviderSummary>>([.. store.List().Select(e => e.Summary)]);
}
