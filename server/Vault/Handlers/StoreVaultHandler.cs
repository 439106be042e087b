using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault.Handlers;

/// <summary><c>vault/store {ref, value}</c> → <c>{ref}</c>; the value is never sent back.</summary>
public sealed class StoreVaultHandler(IVault vault) : RequestHandler<VaultStoreParams, VaultStoreResult>
{
    public override string Method => Methods.VaultStore;
    protected override JsonTypeInfo<VaultStoreParams> ParamsType => PlueJsonContext.Default.VaultStoreParams;
    protected override JsonTypeInfo<VaultStoreResult> ResultType => PlueJsonContext.Default.VaultStoreResult;

    public override ValueTask<VaultStoreResult> HandleAsync(VaultStoreParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Store(request));

    private VaultStoreResult Store(VaultStoreParams request)
    {
        vault.Store(request.Ref, request.Value);
        return new VaultStoreResult { Ref = request.Ref };
    }
}
