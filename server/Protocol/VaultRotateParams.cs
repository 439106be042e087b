namespace Plue.Protocol;

/// <summary><c>vault/rotate</c> params: the new master key (base64 of 32 bytes), made and kept by the client.</summary>
public sealed record VaultRotateParams
{
    public required string NewKey { get; init; }

    public override string ToString() => "VaultRotateParams { NewKey = *** }";
}
