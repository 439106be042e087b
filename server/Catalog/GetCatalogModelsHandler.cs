using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/models</c>: one provider's models with their prices (USD per 1M tokens, null when unknown).</summary>
public sealed class GetCatalogModelsHandler(CatalogStore store) : RequestHandler<CatalogModelsParams, IReadOnlyList<CatalogModel>>
{
    public override string Method => Methods.CatalogModels;
    protected override JsonTypeInfo<CatalogModelsParams> ParamsType => PlueJsonContext.Default.CatalogModelsParams;
    protected override JsonTypeInfo<IReadOnlyList<CatalogModel>> ResultType => PlueJsonContext.Default.IReadOnlyListCatalogModel;

    public override ValueTask<IReadOnlyList<CatalogModel>> HandleAsync(CatalogModelsParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Find(request.ProviderId)?.Provider.Models ?? throw CatalogErrors.UnknownProvider(request.ProviderId));
}
