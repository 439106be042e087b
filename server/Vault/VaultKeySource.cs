using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Protocol;
using Plue.Vault.Keychain;

namespace Plue.Vault;

/// <summary>
/// Where the master key comes from. One home has one key, the same for VS Code and the command line:
/// <c>PLUE_VAULT_KEY</c> when set, else the OS keychain's entry for the home (made on first need), else, where no
/// keychain answers (a container, a headless server), a private <c>$PLUE_HOME/vault.key</c> (0600). A key file found
/// while the keychain answers moves into it and is removed, so a copy or backup of the home no longer holds the key.
/// The client's <c>initializationOptions.vaultKey</c> is the key the extension kept in its SecretStorage before the key
/// moved to the home: it only opens a vault.bin written with it, which hands it over to the home's store
/// (<see cref="Find(ReadOnlySpan{byte})"/>), so a home made by either program opens in both.
/// A rotation saves the new key aside first (the keychain's <c>staged</c> slot, or <c>vault.key.new</c>) before vault.bin
/// is re-encrypted, and makes it the home's key after, so a kill between the two leaves a pair the next open completes.
/// </summary>
public sealed partial class VaultKeySource(
    Func<string?> fromClient, Func<string, string?> environment, Func<string> home, IKeychain? keychain = null, ILogger? logger = null)
{
    public const string EnvironmentVariable = "PLUE_VAULT_KEY";
    public const string KeyFileName = "vault.key";
    public const string PendingKeyFileName = "vault.key.new";
    /// <summary>The keychain's slots for a home: its key, and a rotation's new key until vault.bin is re-encrypted with it.</summary>
    public const string KeySlot = "key";
    public const string StagedSlot = "staged";

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private VaultKey? _rotated;
    private VaultKey? _keychainKey;
    private string? _keychainDown;

    public string KeyFilePath => Path.Combine(home(), KeyFileName);

    private string PendingKeyFilePath => Path.Combine(home(), PendingKeyFileName);

    /// <summary>The home as the keychain knows it: one spelling per folder.</summary>
    private string HomeId => Path.TrimEndingDirectorySeparator(Path.GetFullPath(home()));

    /// <summary>Whether the key is the home's (the environment gives none, and no rotation replaced the environment's).</summary>
    private bool UsesHomeKey => _rotated is null && environment(EnvironmentVariable) is not { Length: > 0 };

    /// <summary>Where the key is, for status: the environment, the keychain, or the key file (and why no keychain).</summary>
    public VaultKeyLocation Locate()
    {
        if (!UsesHomeKey) return new() { Store = VaultKeyStore.Environment, Description = $"from {EnvironmentVariable}" };
        var exists = true;
        try
        {
            exists = Find() is not null;
        }
        catch (Plue.Rpc.RpcException)
        {
            // A malformed key file still says where the key is looked for.
        }
        if (keychain is not null && _keychainDown is null)
            return new() { Store = VaultKeyStore.Keychain, Description = exists ? $"in the OS keychain ({keychain.Name})" : $"none yet: made in the OS keychain ({keychain.Name}) when the first secret is stored" };
        var why = keychain is null ? "" : $"; no OS keychain: {_keychainDown}";
        // Where no keychain answers and nothing was stored yet, there is no file either: say so, never name a file that is not there.
        return new() { Store = VaultKeyStore.File, Description = exists ? $"in {KeyFilePath} (readable by you only){why}" : $"none yet: made in {KeyFilePath} (readable by you only) when the first secret is stored{why}" };
    }

    /// <summary>The home's key if it has one, without creating one; throws when a configured key is malformed.</summary>
    public VaultKey? Find()
    {
        if (_rotated is not null) return _rotated;
        if (environment(EnvironmentVariable) is { Length: > 0 } env) return Parse(env, EnvironmentVariable);
        if (_keychainKey is not null) return _keychainKey;
        if (!Ask(k => k.Lookup(HomeId, KeySlot), out var stored)) return ReadKeyFile();
        if (stored is null) return ReadKeyFile() is { } fileKey ? Adopt(fileKey) : null;
        _keychainKey = Parse(stored, keychain!.Name);
        // A move into the keychain killed before the file's removal: finish it.
        if (ReadKeyFile() is { } leftover && leftover.Id.AsSpan().SequenceEqual(_keychainKey.Id)) DeleteKeyFile();
        return _keychainKey;
    }

    /// <summary>
    /// The key for a vault.bin written with the key <paramref name="fileKeyId"/>: the home's, else the one that opens it
    /// among a rotation's staged key, a key file beside the keychain's key, and the client's (only while the home has no
    /// key: a vault VS Code made while it kept the key), which then becomes the home's. Null when there is no key at
    /// all; a key that does not match is returned for the decryption to refuse with its message.
    /// </summary>
    public VaultKey? Find(ReadOnlySpan<byte> fileKeyId)
    {
        var id = fileKeyId.ToArray();
        bool Opens(VaultKey? key) => key is not null && key.Id.AsSpan().SequenceEqual(id);
        var own = Find();
        if (Opens(own)) return own;
        if (UsesHomeKey && _keychainKey is not null)
        {
            // Another process may have rotated the key since this one read it.
            _keychainKey = null;
            own = Find();
            if (Opens(own)) return own;
            var staged = Ask(k => k.Lookup(HomeId, StagedSlot), out var text) && text is not null ? VaultKey.TryParse(text) : null;
            if (Opens(staged)) return Adopt(staged!, clearStaged: true);
            if (ReadKeyFile() is { } fileKey && Opens(fileKey)) return Adopt(fileKey);
        }
        if (fromClient() is not { Length: > 0 } clientText) return own;
        var client = Parse(clientText, "initializationOptions.vaultKey");
        if (!Opens(client)) return own ?? client;
        if (own is not null || !UsesHomeKey) return client;
        if (Ask(k => k.Lookup(HomeId, KeySlot), out _)) return Adopt(client);
        // No keychain: the key file, unless another process wrote one first (then read it again).
        return AtomicFile.TryCreate(KeyFilePath, KeyText(client)) ? client : Find(id);
    }

    /// <summary>The home's key, or a new one saved in the keychain, else in the key file (0600), when it has none.</summary>
    public VaultKey GetOrCreate()
    {
        if (Find() is { } key) return key;
        var created = VaultKey.Generate();
        Adopt(created);
        if (_keychainKey is not null) return _keychainKey;
        // Another process may have made the file between the check and here: then its key wins.
        return AtomicFile.TryCreate(KeyFilePath, KeyText(created)) ? created : Find()!;
    }

    /// <summary>Whether a key file rotation left a staged key behind (it was killed before renaming it).</summary>
    public bool HasStaged => UsesHomeKey && File.Exists(PendingKeyFilePath);

    /// <summary>Before a rotation re-encrypts vault.bin: the new key is saved aside, when the home holds the key.</summary>
    public void Stage(VaultKey key)
    {
        if (!UsesHomeKey) return;
        if (_keychainKey is null)
            AtomicFile.Write(PendingKeyFilePath, KeyText(key));
        else if (!Ask(k => { k.Store(HomeId, StagedSlot, key.ToBase64()); return null; }, out _))
            throw VaultErrors.CannotOpen($"the new key could not be saved in the OS keychain ({_keychainDown})");
    }

    /// <summary>After a rotation: the new key is used from now on, and becomes the home's when the home held the old one.</summary>
    public void Replace(VaultKey key)
    {
        if (!UsesHomeKey)
            _rotated = key;
        else if (_keychainKey is null)
            File.Move(PendingKeyFilePath, KeyFilePath, overwrite: true);
        else
            _keychainKey = Adopt(key, clearStaged: true); // kept for this process even if the keychain fails now: its staged slot has it
    }

    /// <summary>
    /// Completes or undoes a key file rotation a kill interrupted (call under the vault's lock): when vault.bin was
    /// re-encrypted with the staged key, that key becomes the key file's; a staged key vault.bin does not use is dropped.
    /// True when the key file changed.
    /// </summary>
    public bool Recover(ReadOnlySpan<byte> fileKeyId)
    {
        if (!UsesHomeKey || !File.Exists(PendingKeyFilePath)) return false;
        var pending = VaultKey.TryParse(File.ReadAllText(PendingKeyFilePath, Encoding.ASCII));
        if (pending is not null && fileKeyId.SequenceEqual(pending.Id))
        {
            File.Move(PendingKeyFilePath, KeyFilePath, overwrite: true);
            return true;
        }
        File.Delete(PendingKeyFilePath);
        return false;
    }

    /// <summary>Why vault.bin has no key, and what to do.</summary>
    public string Missing()
    {
        var keychainNote = _keychainDown is { } why && keychain is not null
            ? $"; the OS keychain could not be asked here ({why}): if the key is there, open this home where it answers, or set PLUE_VAULT_KEY"
            : "";
        return "vault.bin exists but the home has no key (PLUE_VAULT_KEY, the OS keychain or $PLUE_HOME/vault.key)" + keychainNote
            + "; a vault made by an earlier Plue for VS Code gets its key there the next time VS Code opens this home with Plue";
    }

    /// <summary>
    /// Makes <paramref name="key"/> the home's in the keychain (read back to be sure), then removes a key file holding it
    /// or an older one. Where the keychain does not answer, nothing changes and the key is returned for this process.
    /// </summary>
    private VaultKey Adopt(VaultKey key, bool clearStaged = false)
    {
        var text = key.ToBase64();
        if (!Ask(k => { k.Store(HomeId, KeySlot, text); return k.Lookup(HomeId, KeySlot); }, out var stored) || stored != text) return key;
        _keychainKey = key;
        if (clearStaged) Ask(k => { k.Clear(HomeId, StagedSlot); return null; }, out _);
        if (DeleteKeyFile()) LogMovedToKeychain(keychain!.Name);
        return key;
    }

    /// <summary>Asks the keychain, unless it has none or could not be asked before; false when it cannot be asked.</summary>
    private bool Ask(Func<IKeychain, string?> call, out string? answer)
    {
        answer = null;
        if (keychain is null || _keychainDown is not null) return false;
        try
        {
            answer = call(keychain);
            return true;
        }
        catch (KeychainUnavailableException e)
        {
            _keychainDown = e.Message;
            // No keychain at all is the normal case of a container: said at Information, not on every command line's stderr.
            if (e.Absent) LogNoKeychain(e.Message);
            else LogKeychainFailed(keychain.Name, e.Message);
            return false;
        }
    }

    /// <summary>The key file's key; null when there is none (or another process just moved it into the keychain).</summary>
    private VaultKey? ReadKeyFile()
    {
        try
        {
            return Parse(File.ReadAllText(KeyFilePath, Encoding.ASCII), KeyFilePath);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private bool DeleteKeyFile()
    {
        if (!File.Exists(KeyFilePath)) return false;
        File.Delete(KeyFilePath);
        return true;
    }

    private static byte[] KeyText(VaultKey key) => Encoding.ASCII.GetBytes(key.ToBase64() + "\n");

    private static VaultKey Parse(string text, string source) =>
        VaultKey.TryParse(text) ?? throw VaultErrors.CannotOpen($"the key from {source} is not base64 of 32 bytes");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vault key: {Keychain} cannot be used ({Reason}); the key is kept in $PLUE_HOME/vault.key (0600)")]
    private partial void LogKeychainFailed(string keychain, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault key: no OS keychain ({Reason}); the key is kept in $PLUE_HOME/vault.key (0600)")]
    private partial void LogNoKeychain(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault key: moved from $PLUE_HOME/vault.key into {Keychain}; the file is removed")]
    private partial void LogMovedToKeychain(string keychain);
}
