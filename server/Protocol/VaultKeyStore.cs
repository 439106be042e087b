using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>Where the vault's master key is kept.</summary>
public enum VaultKeyStore
{
    /// <summary>The OS keychain (the Secret Service, the macOS Keychain, the Windows Credential Manager), one entry per home.</summary>
    [JsonStringEnumMemberName("keychain")] Keychain,
    /// <summary><c>$PLUE_HOME/vault.key</c> (0600): no keychain answers here (a container, a headless server, no D-Bus).</summary>
    [JsonStringEnumMemberName("file")] File,
    /// <summary><c>PLUE_VAULT_KEY</c>, which wins over both.</summary>
    [JsonStringEnumMemberName("environment")] Environment,
}
