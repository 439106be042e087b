using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/update</c>: replaces a user provider, or overrides a shipped one with a user file.</summary>
public sealed class UpdateCatalogHandler(CatalogStore store) : RequestHandler<CatalogProvider, CatalogProviderSummary>
{
    public override string Method => Methods.CatalogUpdate;
    protected override JsonTypeInfo<CatalogProvider> ParamsType => PlueJsonContext.Default.CatalogProvider;
    protected override JsonTypeInfo<CatalogProviderSummary> ResultType => PlueJsonContext.Default.CatalogProviderSummary;

    public override ValueTask<CatalogProviderSummary> HandleAsync(CatalogProvider request, RequestContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(store.Update(request).Summary);
        }
        catch (CatalogProblemsException e)
        {
            throw CatalogErrors.Invalid(Method, e);
        }
        catch (KeyNotFoundException)
        {
            throw CatalogErrors.UnknownProvider(request.Id);
        }
    }
}
