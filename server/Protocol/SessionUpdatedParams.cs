namespace Plue.Protocol;

public sealed record SessionUpdatedParams
{
    public required Session Session { get; init; }
}
