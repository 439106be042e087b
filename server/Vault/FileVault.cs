using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Codex.References;

namespace Plue.Vault;

/// <summary>
/// The vault as one encrypted file, <c>$PLUE_HOME/vault.bin</c> (see <see cref="VaultFormat"/>); its plaintext is
/// <c>{"version":1,"entries":{"&lt;provider&gt;/&lt;key&gt;":"&lt;secret&gt;"}}</c>. Every operation reads the file
/// afresh, so a file that cannot be opened refuses a store instead of being overwritten by a new one. Writes are
/// serialized (in-process by a lock, across processes by <c>vault.lock</c>), atomic, and keep the previous file as <c>vault.bin.bak</c>.
/// </summary>
public sealed partial class FileVault(VaultKeySource keys, Func<string> home, ILogger<FileVault> logger) : IVault
{
    public const string FileName = "vault.bin";
    public const string BackupName = "vault.bin.bak";
    /// <summary>Held while writing, so windows and the command line sharing a home never lose each other's stores.</summary>
    public const string LockName = "vault.lock";

    private readonly Lock _gate = new();
    private (byte[] File, IReadOnlyList<string> Names)? _names;

    public string FilePath => Path.Combine(home(), FileName);

    public void Store(string reference, string value)
    {
        var name = Name(reference);
        SecretText.CheckSecret(value, reference);
        lock (_gate)
        {
            using var _ = ProcessLock();
            var (entries, old, key) = Open(create: true, locked: true);
            entries[name] = value;
            Save(entries, old, key!);
        }
        LogChanged("stored", reference);
    }

    public bool Delete(string reference)
    {
        var name = Name(reference);
        lock (_gate)
        {
            using var _ = ProcessLock();
            var (entries, old, key) = Open(create: false, locked: true);
            if (!entries.Remove(name)) return false;
            Save(entries, old, key!);
        }
        LogChanged("deleted", reference);
        return true;
    }

    public bool Has(string reference)
    {
        var name = Name(reference);
        lock (_gate) return Open(create: false).Entries.ContainsKey(name);
    }

    public IReadOnlyList<string> List()
    {
        lock (_gate)
        {
            // Names change only with the file, and every instance read asks for them (several times a turn): the file
            // is decrypted again only when its bytes differ from the last read's. Each write has a fresh nonce, so any
            // write changes them. The names are kept with the bytes they were decrypted from. Only names are kept,
            // never a secret.
            var file = File.Exists(FilePath) ? File.ReadAllBytes(FilePath) : null;
            if (file is not null && _names is { } known && file.AsSpan().SequenceEqual(known.File)) return known.Names;
            var (entries, decrypted, _) = Open(create: false);
            IReadOnlyList<string> names = [.. entries.Keys.Select(k => VaultReference.Scheme + k)];
            _names = decrypted is null ? null : (decrypted, names);
            return names;
        }
    }

    public string? Resolve(string reference)
    {
        var name = Name(reference);
        lock (_gate) return Open(create: false).Entries.GetValueOrDefault(name);
    }

    public int Rotate(string newKey)
    {
        var key = VaultKey.TryParse(newKey) ?? throw Plue.Rpc.RpcException.InvalidParams("newKey must be base64 of 32 random bytes");
        int count;
        lock (_gate)
        {
            using var _ = ProcessLock();
            var (entries, old, _) = Open(create: true, locked: true);
            // New key saved first, vault.bin second, the key's rename last: a kill at any point leaves a pair Open completes.
            keys.Stage(key);
            Save(entries, old, key);
            keys.Replace(key);
            count = entries.Count;
        }
        LogRotated(count);
        return count;
    }

    /// <summary>
    /// The entries, the file's current bytes (null when there is no file yet) and the key. Without a file,
    /// reading needs no key, so looking never creates a key file. <paramref name="locked"/>: the caller holds vault.lock.
    /// </summary>
    private (SortedDictionary<string, string> Entries, byte[]? File, VaultKey? Key) Open(bool create, bool locked = false, bool recovered = false)
    {
        var path = FilePath;
        if (Directory.Exists(path)) throw VaultErrors.NotAFile(path);
        byte[]? file = File.Exists(path) ? File.ReadAllBytes(path) : null;
        if (file is null) return (new(StringComparer.Ordinal), null, create ? keys.GetOrCreate() : keys.Find());
        var key = keys.Find(VaultFormat.KeyId(file)) ?? throw VaultErrors.CannotOpen(keys.Missing());
        if (!recovered && keys.HasStaged && VaultFormat.KeyId(file).Length > 0)
        {
            // A rotation was killed between the staged key and the key file: complete or drop it, then read again.
            using (locked ? null : ProcessLock())
                keys.Recover(VaultFormat.KeyId(File.ReadAllBytes(path)));
            return Open(create, locked, recovered: true);
        }
        var plaintext = VaultFormat.Decrypt(key, file);
        try
        {
            return (Parse(plaintext), file, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private void Save(SortedDictionary<string, string> entries, byte[]? old, VaultKey key)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", 1);
                writer.WriteStartObject("entries");
                foreach (var (name, value) in entries) writer.WriteString(name, value);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            var file = VaultFormat.Encrypt(key, buffer.WrittenSpan);
            if (old is not null) AtomicFile.Write(Path.Combine(home(), BackupName), old);
            AtomicFile.Write(FilePath, file);
        }
        finally
        {
            buffer.Clear(); // zeroes the plaintext
        }
    }

    /// <summary>An exclusive open of <c>vault.lock</c> (flock on Unix), waited for up to 10 s.</summary>
    private FileStream ProcessLock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.OwnerOnly;
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(home(), LockName), options);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private static SortedDictionary<string, string> Parse(byte[] plaintext)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(plaintext);
            foreach (var entry in document.RootElement.GetProperty("entries").EnumerateObject())
                entries[entry.Name] = entry.Value.GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The message of a JSON error may quote the plaintext: never pass it on.
            throw VaultErrors.CannotOpen("vault.bin decrypted but its content is not a vault's");
        }
        return entries;
    }

    /// <summary>"provider/key" for a valid reference; -32602 otherwise (the reference is not a secret, so it may be named).</summary>
    private static string Name(string reference) =>
        VaultReference.TryParse(reference ?? "", out var parsed, out var error) ? $"{parsed.Provider}/{parsed.Key}" : throw VaultErrors.BadReference(error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault: {Reference} {Change}")]
    private partial void LogChanged(string change, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault re-encrypted with a new key ({Count} secrets); the previous file is vault.bin.bak")]
    private partial void LogRotated(int count);
}
