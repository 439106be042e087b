using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault.Handlers;

/// <summary><c>vault/list</c> → the stored references, never a value.</summary>
public sealed class ListVaultHandler(IVault vault) : RequestHandler<EmptyParams, IReadOnlyList<string>>
{
    public override string Method => Methods.VaultList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<string>> ResultType => PlueJsonContext.Default.IReadOnlyListString;

    public override ValueTask<IReadOnlyList<string>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(vault.List());
}
