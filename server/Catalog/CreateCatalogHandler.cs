using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/create</c>: adds a custom provider as a user file; every problem is answered in one -32602.</summary>
public sealed class CreateCatalogHandler(CatalogStore store) : RequestHandler<CatalogProvider, CatalogProviderSummary>
{
    public override string Method => Methods.CatalogCreate;
    protected override JsonTypeInfo<CatalogProvider> ParamsType => PlueJsonContext.Default.CatalogProvider;
    protected override JsonTypeInfo<CatalogProviderSummary> ResultType => PlueJsonContext.Default.CatalogProviderSummary;

    public override ValueTask<CatalogProviderSummary> HandleAsync(CatalogProvider request, RequestContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(store.Create(request).Summary);
        }
        catch (CatalogProblemsException e)
        {
            throw CatalogErrors.Invalid(Method, e);
        }
    }
}
