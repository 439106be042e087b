namespace Plue.Protocol;

public sealed record DeletedResult
{
    public required bool Deleted { get; init; }
}
