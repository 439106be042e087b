namespace Plue.Protocol;

public sealed record SessionIdParams
{
    public required string SessionId { get; init; }
}
