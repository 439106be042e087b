namespace Plue.Protocol;

/// <summary><c>vault/has</c> result.</summary>
public sealed record VaultHasResult
{
    public required bool Exists { get; init; }
}
