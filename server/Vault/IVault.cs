namespace Plue.Vault;

/// <summary>
/// The encrypted store of secrets, addressed by <c>vault://&lt;provider&gt;/&lt;key&gt;</c>.
/// Only <see cref="Resolve"/> hands a value out, and only to code in this process (backends); no RPC method does.
/// </summary>
public interface IVault
{
    /// <summary>Stores (or replaces) a secret.</summary>
    void Store(string reference, string value);

    /// <summary>Removes a secret; false when there was none.</summary>
    bool Delete(string reference);

    bool Has(string reference);

    /// <summary>Every stored reference, sorted; never a value.</summary>
    IReadOnlyList<string> List();

    /// <summary>
    /// The stored references as a set, for a view that says of each secret whether it is stored; empty when the vault
    /// cannot be opened, so the view still reads (every secret then not stored).
    /// </summary>
    IReadOnlySet<string> StoredOrNone()
    {
        try
        {
            return List().ToHashSet(StringComparer.Ordinal);
        }
        catch (Rpc.RpcException e) when (e.Code == Protocol.PlueErrorCodes.VaultError)
        {
            return new HashSet<string>();
        }
    }

    /// <summary>Re-encrypts the vault with <paramref name="newKey"/> (base64 of 32 bytes); returns how many secrets it holds.</summary>
    int Rotate(string newKey);

    /// <summary>The secret, for a backend to use in memory; null when the vault has none under that reference.</summary>
    string? Resolve(string reference);
}
