namespace Plue.Protocol;

/// <summary>Where the vault's master key is, as <c>plue/status</c> tells it.</summary>
public sealed record VaultKeyLocation
{
    public required VaultKeyStore Store { get; init; }

    /// <summary>In words, for Show Status and <c>plue status</c>: where it is and, for the file, why no keychain.</summary>
    public required string Description { get; init; }
}
