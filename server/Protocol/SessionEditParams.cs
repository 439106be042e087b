namespace Plue.Protocol;

public sealed record SessionEditParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
    public required string Text { get; init; }
}
