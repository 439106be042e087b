namespace Plue.Protocol;

/// <summary><c>vault/store</c> params. The value goes into the vault and is never sent back by any method.</summary>
public sealed record VaultStoreParams
{
    /// <summary><c>vault://&lt;provider&gt;/&lt;key&gt;</c>.</summary>
    public required string Ref { get; init; }
    public required string Value { get; init; }

    /// <summary>Never the value: a record's generated ToString would print it.</summary>
    public override string ToString() => $"VaultStoreParams {{ Ref = {Ref} }}";
}
