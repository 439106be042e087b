using System.Text;

namespace Plue.Vault;

/// <summary>
/// Where the master key comes from. One home has one key, the same for VS Code and the command line:
/// <c>PLUE_VAULT_KEY</c> when set, else a private <c>$PLUE_HOME/vault.key</c> (0600) made on first need. The client's
/// <c>initializationOptions.vaultKey</c> is the key the extension kept in its SecretStorage before the key moved to the
/// home: it only opens a vault.bin written with it, which hands it over to the key file (<see cref="Find(ReadOnlySpan{byte})"/>),
/// so a home made by either program opens in both. After a rotation the new key stands in for all of them in this process.
/// A rotation with the key file saves the new key as <c>vault.key.new</c> before vault.bin is re-encrypted and renames
/// it over <c>vault.key</c> after, so a kill between the two leaves a pair the next open completes (<see cref="Recover"/>).
/// </summary>
public sealed class VaultKeySource(Func<string?> fromClient, Func<string, string?> environment, Func<string> home)
{
    public const string EnvironmentVariable = "PLUE_VAULT_KEY";
    public const string KeyFileName = "vault.key";
    public const string PendingKeyFileName = "vault.key.new";

    private VaultKey? _rotated;
    private bool _rotatedInKeyFile;

    public string KeyFilePath => Path.Combine(home(), KeyFileName);

    private string PendingKeyFilePath => Path.Combine(home(), PendingKeyFileName);

    /// <summary>Whether the home's key is the key file's (the environment gives none).</summary>
    private bool UsesKeyFile => _rotated is null ? environment(EnvironmentVariable) is not { Length: > 0 } : _rotatedInKeyFile;

    /// <summary>The home's key if it has one, without creating one; throws when a configured key is malformed.</summary>
    public VaultKey? Find()
    {
        if (_rotated is not null) return _rotated;
        if (environment(EnvironmentVariable) is { Length: > 0 } env) return Parse(env, EnvironmentVariable);
        return File.Exists(KeyFilePath) ? Parse(File.ReadAllText(KeyFilePath, Encoding.ASCII), KeyFilePath) : null;
    }

    /// <summary>
    /// The key for a vault.bin written with the key <paramref name="fileKeyId"/>: the home's, unless only the client's
    /// opens it (a vault VS Code made while it kept the key); then, when the home has no key yet, the client's becomes
    /// the key file's, for the command line to open it too. Null when there is no key at all; a key that does not match
    /// is returned for the decryption to refuse with its message.
    /// </summary>
    public VaultKey? Find(ReadOnlySpan<byte> fileKeyId)
    {
        var own = Find();
        if (own is not null && own.Id.AsSpan().SequenceEqual(fileKeyId)) return own;
        if (fromClient() is not { Length: > 0 } text) return own;
        var client = Parse(text, "initializationOptions.vaultKey");
        if (!client.Id.AsSpan().SequenceEqual(fileKeyId)) return own ?? client;
        if (own is null && UsesKeyFile && !AtomicFile.TryCreate(KeyFilePath, Encoding.ASCII.GetBytes(client.ToBase64() + "\n")))
            return Find(fileKeyId); // another process wrote the key file first: read it again
        return client;
    }

    /// <summary>The home's key, or a new one saved to the key file (0600) when it has none.</summary>
    public VaultKey GetOrCreate()
    {
        if (Find() is { } key) return key;
        var created = VaultKey.Generate();
        // Another process may have made the file between the check and here: then its key wins.
        return AtomicFile.TryCreate(KeyFilePath, Encoding.ASCII.GetBytes(created.ToBase64() + "\n")) ? created : Find()!;
    }

    /// <summary>Whether a rotation left a staged key behind (it was killed before renaming it).</summary>
    public bool HasStaged => UsesKeyFile && File.Exists(PendingKeyFilePath);

    /// <summary>Before a rotation re-encrypts vault.bin: the new key is saved beside the key file's, when that is the source.</summary>
    public void Stage(VaultKey key)
    {
        if (UsesKeyFile) AtomicFile.Write(PendingKeyFilePath, Encoding.ASCII.GetBytes(key.ToBase64() + "\n"));
    }

    /// <summary>After a rotation: the new key is used from now on, and replaces the key file's when that was the source.</summary>
    public void Replace(VaultKey key)
    {
        var usesKeyFile = UsesKeyFile;
        if (usesKeyFile) File.Move(PendingKeyFilePath, KeyFilePath, overwrite: true);
        _rotatedInKeyFile = usesKeyFile;
        _rotated = key;
    }

    /// <summary>
    /// Completes or undoes a rotation a kill interrupted (call under the vault's lock): when vault.bin was re-encrypted
    /// with the staged key, that key becomes the key file's; a staged key vault.bin does not use is dropped. True
    /// when the key file changed.
    /// </summary>
    public bool Recover(ReadOnlySpan<byte> fileKeyId)
    {
        if (!UsesKeyFile || !File.Exists(PendingKeyFilePath)) return false;
        var pending = VaultKey.TryParse(File.ReadAllText(PendingKeyFilePath, Encoding.ASCII));
        if (pending is not null && fileKeyId.SequenceEqual(pending.Id))
        {
            File.Move(PendingKeyFilePath, KeyFilePath, overwrite: true);
            return true;
        }
        File.Delete(PendingKeyFilePath);
        return false;
    }

    private static VaultKey Parse(string text, string source) =>
        VaultKey.TryParse(text) ?? throw VaultErrors.CannotOpen($"the key from {source} is not base64 of 32 bytes");
}
