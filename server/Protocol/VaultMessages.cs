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

/// <summary><c>vault/store</c> result: the reference now holding the secret.</summary>
public sealed record VaultStoreResult
{
    public required string Ref { get; init; }
}

/// <summary><c>vault/has</c> result.</summary>
public sealed record VaultHasResult
{
    public required bool Exists { get; init; }
}

/// <summary><c>vault/rotate</c> params: the new master key (base64 of 32 bytes), made and kept by the client.</summary>
public sealed record VaultRotateParams
{
    public required string NewKey { get; init; }

    public override string ToString() => "VaultRotateParams { NewKey = *** }";
}

/// <summary><c>vault/rotate</c> result: how many secrets were re-encrypted.</summary>
public sealed record VaultRotateResult
{
    public required int Count { get; init; }
}
