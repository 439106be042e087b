using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault;

/// <summary>The vault methods: store, delete, ask for and list references, rotate the key. None returns a value.</summary>
public sealed class VaultEndpoints(IVault vault) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.VaultStore, p =>
        {
            vault.Store(p.Ref, p.Value);
            return new VaultStoreResult { Ref = p.Ref };
        });
        router.Add(Contract.VaultDelete, p => new DeletedResult { Deleted = vault.Delete(p.Ref) });
        router.Add(Contract.VaultHas, p => new VaultHasResult { Exists = vault.Has(p.Ref) });
        router.Add(Contract.VaultList, _ => vault.List());
        router.Add(Contract.VaultRotate, p => new VaultRotateResult { Count = vault.Rotate(p.NewKey) });
    }
}
