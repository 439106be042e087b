using System.Security.Cryptography;
using System.Text;

namespace Plue.Vault;

/// <summary>
/// A 256-bit master key and its id: the first 8 bytes of a SHA-256 over a fixed label and the key, written in
/// the file's header so a wrong key is told apart from a damaged file. The id reveals nothing usable of the key.
/// </summary>
public sealed class VaultKey
{
    public const int Size = 32;
    public const int IdSize = 8;

    private static readonly byte[] s_idLabel = Encoding.ASCII.GetBytes("plue-vault-key-id\0");

    private VaultKey(byte[] bytes)
    {
        Bytes = bytes;
        var hash = SHA256.HashData([.. s_idLabel, .. bytes]);
        Id = hash[..IdSize];
    }

    public byte[] Bytes { get; }
    public byte[] Id { get; }

    public static VaultKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>Null when the text is not base64 of exactly 32 bytes (the text itself is never echoed).</summary>
    public static VaultKey? TryParse(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return null;
        var buffer = new byte[Size + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != Size) return null;
        return new VaultKey(buffer[..Size]);
    }

    public string ToBase64() => Convert.ToBase64String(Bytes);

    /// <summary>Never the key.</summary>
    public override string ToString() => "VaultKey(***)";
}
