namespace Plue.Protocol;

/// <summary><c>vault/store</c> result: the reference now holding the secret.</summary>
public sealed record VaultStoreResult
{
    public required string Ref { get; init; }
}
