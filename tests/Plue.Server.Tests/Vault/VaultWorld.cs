using Microsoft.Extensions.Logging.Abstractions;
using Plue.Tests.Support;
using Plue.Vault;

namespace Plue.Tests.Vault;

/// <summary>A real vault in a temp home, its key given as the client would (or none, to use the key file).</summary>
internal sealed class VaultWorld : IDisposable
{
    private readonly TempDir _home = new();

    public VaultWorld(string? clientKey = null, IDictionary<string, string>? environment = null)
    {
        ClientKey = clientKey;
        Keys = new VaultKeySource(() => ClientKey, name => environment?.TryGetValue(name, out var v) == true ? v : null, () => Home);
        Vault = new FileVault(Keys, () => Home, NullLogger<FileVault>.Instance);
    }

    public string Home => _home.Path;
    public string? ClientKey { get; set; }
    public VaultKeySource Keys { get; }
    public FileVault Vault { get; }
    public string FilePath => Path.Combine(Home, FileVault.FileName);
    public string BackupPath => Path.Combine(Home, FileVault.BackupName);

    /// <summary>A fresh vault over the same home: what another process, or the next start, would see.</summary>
    public FileVault Reopen(string? clientKey) =>
        new(new VaultKeySource(() => clientKey, _ => null, () => Home), () => Home, NullLogger<FileVault>.Instance);

    public static string NewKey() => VaultKey.Generate().ToBase64();

    public void Dispose() => _home.Dispose();
}
