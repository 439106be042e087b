using System.Security.Cryptography;

namespace Plue.Vault;

/// <summary>
/// The bytes of <c>vault.bin</c>: magic "PLVT", format version, key id, then a fresh 12-byte nonce, the 16-byte
/// AES-256-GCM tag and the ciphertext. The header (magic, version, key id) is the associated data, so editing
/// any byte of the file fails the tag check.
/// </summary>
public static class VaultFormat
{
    public const byte Version = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private static ReadOnlySpan<byte> Magic => "PLVT"u8;
    private static int HeaderSize => Magic.Length + 1 + VaultKey.IdSize;
    public static int MinimumSize => HeaderSize + NonceSize + TagSize;

    public static byte[] Encrypt(VaultKey key, ReadOnlySpan<byte> plaintext)
    {
        var file = new byte[MinimumSize + plaintext.Length];
        Magic.CopyTo(file);
        file[Magic.Length] = Version;
        key.Id.CopyTo(file.AsSpan(Magic.Length + 1));
        var nonce = file.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, plaintext, file.AsSpan(MinimumSize), file.AsSpan(HeaderSize + NonceSize, TagSize), file.AsSpan(0, HeaderSize));
        return file;
    }

    /// <summary>The id of the key <paramref name="file"/> says it was written with; empty when the file is too short to say.</summary>
    public static ReadOnlySpan<byte> KeyId(ReadOnlySpan<byte> file) =>
        file.Length >= MinimumSize && file.StartsWith(Magic) ? file.Slice(Magic.Length + 1, VaultKey.IdSize) : [];

    /// <summary>The plaintext; throws the vault's -33004 error, naming what is wrong, when it cannot be had.</summary>
    public static byte[] Decrypt(VaultKey key, ReadOnlySpan<byte> file)
    {
        if (file.Length < MinimumSize)
            throw VaultErrors.CannotOpen($"vault.bin is truncated ({file.Length} bytes, a vault has at least {MinimumSize})");
        if (!file.StartsWith(Magic))
            throw VaultErrors.CannotOpen("vault.bin is not a Plue vault file (its header is wrong)");
        if (file[Magic.Length] != Version)
            throw VaultErrors.CannotOpen($"vault.bin has format version {file[Magic.Length]}, which this sidecar does not read (it reads {Version})");
        if (!file.Slice(Magic.Length + 1, VaultKey.IdSize).SequenceEqual(key.Id))
            throw VaultErrors.CannotOpen("this is not the key vault.bin was written with (check PLUE_VAULT_KEY and $PLUE_HOME/vault.key)");
        var plaintext = new byte[file.Length - MinimumSize];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(file.Slice(HeaderSize, NonceSize), file[MinimumSize..], file.Slice(HeaderSize + NonceSize, TagSize), plaintext, file[..HeaderSize]);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw VaultErrors.CannotOpen("vault.bin failed its integrity check (it was altered or is corrupt); vault.bin.bak holds the previous version");
        }
        return plaintext;
    }
}
