using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>The catalog methods: shipped and user providers, their models, custom providers' files, and the files in and out of records.</summary>
public sealed class CatalogEndpoints(CatalogStore store, CatalogTransfer transfer) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.CatalogList, _ => (IReadOnlyList<CatalogProviderSummary>)[.. store.List().Select(e => e.Summary)]);
        router.Add(Contract.CatalogModels, p => store.Find(p.ProviderId)?.Provider.Models ?? throw CatalogErrors.UnknownProvider(p.ProviderId));
        router.Add(Contract.CatalogCreate, p => CatalogErrors.Guard(Contract.CatalogCreate.Name, p.Id, () => store.Create(p).Summary));
        router.Add(Contract.CatalogUpdate, p => CatalogErrors.Guard(Contract.CatalogUpdate.Name, p.Id, () => store.Update(p).Summary));
        router.Add(Contract.CatalogDelete, p => CatalogErrors.Guard(Contract.CatalogDelete.Name, p.Id,
            () => new DeleteCatalogResult { Id = p.Id, Restored = store.Delete(p.Id)?.Summary }));
        router.Add(Contract.CatalogTemplates, _ => CatalogTemplates.All);
        router.Add(Contract.CatalogImport, transfer.Import);
        router.Add(Contract.CatalogExport, transfer.Export);
        router.Add(Contract.CatalogProblems, _ => store.FileProblems);
    }
}
