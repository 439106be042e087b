namespace Plue.Vault.Keychain;

/// <summary>The keychain could not be asked; the message says why in words a user can act on (never a secret).</summary>
public sealed class KeychainUnavailableException(string message, bool absent = false) : Exception(message)
{
    /// <summary>There is no keychain to ask here at all (no library, no session bus), as in a container: not a fault.</summary>
    public bool Absent { get; } = absent;
}
