namespace Plue.Protocol;

public sealed record ClientInfo
{
    public required string Name { get; init; }
    public string? Version { get; init; }
}
