using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Vault;

/// <summary>The vault's refusals. No message ever carries a secret or a key, only what went wrong and what to do.</summary>
public static class VaultErrors
{
    /// <summary>-33004: the file exists but this key cannot open it; nothing was written.</summary>
    public static RpcException CannotOpen(string reason) =>
        new(PlueErrorCodes.VaultError, $"the vault cannot be opened with this key: {reason}; your secrets are untouched");

    /// <summary>-33004: vault.bin is there but is not a file (a folder); nothing was read or written.</summary>
    public static RpcException NotAFile(string path) =>
        new(PlueErrorCodes.VaultError, $"the vault file {path} is a folder, not a file, so no secret can be read or stored. "
            + "Move that folder aside, then rename vault.bin.bak beside it to vault.bin if you have one, or store your secrets again; nothing was written");

    public static RpcException BadReference(string error) => RpcException.InvalidParams(error);
}
