namespace Plue.Protocol;

public sealed record SessionForkParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
}
