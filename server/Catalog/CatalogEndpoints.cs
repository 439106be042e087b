using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>The catalog methods: shipped and user providers, their models, custom providers as records (<see cref="CatalogChanges"/>), and the files in and out of records.</summary>
public sealed class CatalogEndpoints(CatalogStore store, CatalogChanges changes, CatalogTransfer transfer) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.CatalogList, _ => (IReadOnlyList<CatalogProviderSummary>)[.. store.List().Select(e => e.Summary)]);
        router.Add(Contract.CatalogModels, p => store.Find(p.ProviderId)?.Provider.Models ?? throw CatalogErrors.UnknownProvider(p.ProviderId));
        router.Add(Contract.CatalogCreate, changes.Create);
        router.Add(Contract.CatalogUpdate, changes.Update);
        router.Add(Contract.CatalogDelete, p => changes.Delete(p.Id));
        router.Add(Contract.CatalogTemplates, _ => CatalogTemplates.All);
        router.Add(Contract.CatalogImport, transfer.Import);
        router.Add(Contract.CatalogExport, transfer.Export);
        router.Add(Contract.CatalogProblems, _ => store.FileProblems);
    }
}
