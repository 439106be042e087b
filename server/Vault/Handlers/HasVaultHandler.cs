using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault.Handlers;

/// <summary><c>vault/has {ref}</c> → <c>{exists}</c>.</summary>
public sealed class HasVaultHandler(IVault vault) : RequestHandler<RefParams, VaultHasResult>
{
    public override string Method => Methods.VaultHas;
    protected override JsonTypeInfo<RefParams> ParamsType => PlueJsonContext.Default.RefParams;
    protected override JsonTypeInfo<VaultHasResult> ResultType => PlueJsonContext.Default.VaultHasResult;

    public override ValueTask<VaultHasResult> HandleAsync(RefParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<VaultHasResult>(new VaultHasResult { Exists = vault.Has(request.Ref) });
}
