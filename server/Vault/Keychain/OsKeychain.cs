namespace Plue.Vault.Keychain;

/// <summary>The keychain of the system Plue runs on: the Keychain on macOS, the Credential Manager on Windows, else the Secret Service.</summary>
public static class OsKeychain
{
    public static IKeychain Create(TimeSpan timeout, Func<string, string?> environment) =>
        OperatingSystem.IsMacOS() ? new MacKeychain(timeout, environment)
        : OperatingSystem.IsWindows() ? new WindowsCredentialManager(timeout, environment)
        : new SecretServiceKeychain(timeout, environment);
}
