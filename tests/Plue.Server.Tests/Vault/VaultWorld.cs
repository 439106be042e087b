using Microsoft.Extensions.Logging.Abstractions;
using Plue.Tests.Support;
using Plue.Vault;

namespace Plue.Tests.Vault;

/// <summary>
/// A real vault in a temp home. Its key is the home's as PLUE_VAULT_KEY gives it (none: the key file), and
/// <see cref="ClientKey"/> the one a client may hand over at initialize (the extension's SecretStorage kept one).
/// </summary>
internal sealed class VaultWorld : IDisposable
{
    private readonly TempDir _home = new();

    public VaultWorld(string? key = null, string? clientKey = null)
    {
        Key = key;
        ClientKey = clientKey;
        Keys = Source(() => Key, () => ClientKey);
        Vault = new FileVault(Keys, () => Home, NullLogger<FileVault>.Instance);
    }

    public string Home => _home.Path;
    public string? Key { get; set; }
    public string? ClientKey { get; set; }
    public VaultKeySource Keys { get; }
    public FileVault Vault { get; }
    public string FilePath => Path.Combine(Home, FileVault.FileName);
    public string BackupPath => Path.Combine(Home, FileVault.BackupName);
    public string KeyFilePath => Path.Combine(Home, VaultKeySource.KeyFileName);

    /// <summary>A fresh vault over the same home: what another process, or the next start, would see.</summary>
    public FileVault Reopen(string? key, string? clientKey = null) =>
        new(Source(() => key, () => clientKey), () => Home, NullLogger<FileVault>.Instance);

    public static string NewKey() => VaultKey.Generate().ToBase64();

    public void Dispose() => _home.Dispose();

    private VaultKeySource Source(Func<string?> environmentKey, Func<string?> clientKey) =>
        new(clientKey, name => name == VaultKeySource.EnvironmentVariable ? environmentKey() : null, () => Home);
}
