namespace Plue.Protocol;

/// <summary><c>vault/rotate</c> result: how many secrets were re-encrypted.</summary>
public sealed record VaultRotateResult
{
    public required int Count { get; init; }
}
