using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault.Handlers;

/// <summary><c>vault/rotate {newKey}</c>: re-encrypts with the new key; the old file is kept as vault.bin.bak.</summary>
public sealed class RotateVaultHandler(IVault vault) : RequestHandler<VaultRotateParams, VaultRotateResult>
{
    public override string Method => Methods.VaultRotate;
    protected override JsonTypeInfo<VaultRotateParams> ParamsType => PlueJsonContext.Default.VaultRotateParams;
    protected override JsonTypeInfo<VaultRotateResult> ResultType => PlueJsonContext.Default.VaultRotateResult;

    public override ValueTask<VaultRotateResult> HandleAsync(VaultRotateParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<VaultRotateResult>(new VaultRotateResult { Count = vault.Rotate(request.NewKey) });
}
