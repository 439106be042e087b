using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary><c>catalog/delete</c>: removes a user provider or override; shipped providers stay.</summary>
public sealed class DeleteCatalogHandler(CatalogStore store) : RequestHandler<DeleteCatalogParams, DeleteCatalogResult>
{
    public override string Method => Methods.CatalogDelete;
    protected override JsonTypeInfo<DeleteCatalogParams> ParamsType => PlueJsonContext.Default.DeleteCatalogParams;
    protected override JsonTypeInfo<DeleteCatalogResult> ResultType => PlueJsonContext.Default.DeleteCatalogResult;

    public override ValueTask<DeleteCatalogResult> HandleAsync(DeleteCatalogParams request, RequestContext context, CancellationToken cancellationToken)
    {
        try
        {
            var restored = store.Delete(request.Id);
            return ValueTask.FromResult(new DeleteCatalogResult { Id = request.Id, Restored = restored?.Summary });
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
