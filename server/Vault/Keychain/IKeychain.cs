namespace Plue.Vault.Keychain;

/// <summary>
/// The OS keychain, holding secrets under a home and a slot. A keychain that cannot be asked (none on this system, no
/// session bus, locked, too slow) throws <see cref="KeychainUnavailableException"/> and is not asked again by this process.
/// </summary>
public interface IKeychain
{
    /// <summary>What users call it ("the Secret Service"), for status and messages.</summary>
    string Name { get; }

    /// <summary>The secret, or null when the keychain holds none for this home and slot.</summary>
    string? Lookup(string home, string slot);

    void Store(string home, string slot, string secret);

    void Clear(string home, string slot);
}
