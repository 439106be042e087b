namespace Plue.Protocol;

public sealed record CancelledResult
{
    public required bool Cancelled { get; init; }
}
