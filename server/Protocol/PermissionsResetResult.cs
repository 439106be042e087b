namespace Plue.Protocol;

/// <summary><c>permissions/reset</c> result: how many remembered tools were forgotten.</summary>
public sealed record PermissionsResetResult
{
    public required int Removed { get; init; }
}
