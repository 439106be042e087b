using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault.Handlers;

/// <summary><c>vault/delete {ref}</c> → <c>{deleted}</c>.</summary>
public sealed class DeleteVaultHandler(IVault vault) : RequestHandler<RefParams, DeletedResult>
{
    public override string Method => Methods.VaultDelete;
    protected override JsonTypeInfo<RefParams> ParamsType => PlueJsonContext.Default.RefParams;
    protected override JsonTypeInfo<DeletedResult> ResultType => PlueJsonContext.Default.DeletedResult;

    public override ValueTask<DeletedResult> HandleAsync(RefParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DeletedResult>(new DeletedResult { Deleted = vault.Delete(request.Ref) });
}
