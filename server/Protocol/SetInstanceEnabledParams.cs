namespace Plue.Protocol;

/// <summary><c>instances/setEnabled</c> params.</summary>
public sealed record SetInstanceEnabledParams
{
    public required string Id { get; init; }
    public required bool Enabled { get; init; }
}
