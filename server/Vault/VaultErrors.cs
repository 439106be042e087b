using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault;

/// <summary>The vault's refusals. No message ever carries a secret or a key, only what went wrong and what to do.</summary>
public static class VaultErrors
{
    /// <summary>-33004: the file exists but this key cannot open it; nothing was written.</summary>
    public static RpcException CannotOpen(string reason) =>
        new(PlueErrorCodes.VaultError, $"the vault cannot be opened with this key: {reason}; your secrets are untouched");

    public static RpcException BadReference(string error) => RpcException.InvalidParams(error);
}
