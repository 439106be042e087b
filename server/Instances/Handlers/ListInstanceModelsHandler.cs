using System.Text.Json.Serialization.Metadata;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/models {id}</c>: the catalog models the instance offers after its filter.</summary>
public sealed class ListInstanceModelsHandler(Plue.Providers.InstanceChecks checks) : RequestHandler<IdParams, IReadOnlyList<CatalogModel>>
{
    public override string Method => Methods.InstancesModels;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<IReadOnlyList<CatalogModel>> ResultType => PlueJsonContext.Default.IReadOnlyListCatalogModel;

    public override ValueTask<IReadOnlyList<CatalogModel>> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(checks.ModelsAsync(request.Id, cancellationToken));
}
