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

    /// <summary>Re-encrypts the vault with <paramref name="newKey"/> (base64 of 32 bytes); returns how many secrets it holds.</summary>
    int Rotate(string newKey);

    /// <summary>The secret, for a backend to use in memory; null when the vault has none under that reference.</summary>
    string? Resolve(string reference);
}
