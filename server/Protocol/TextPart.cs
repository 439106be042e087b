namespace Plue.Protocol;

public sealed record TextPart : MessagePart
{
    public string? Text { get; init; }
}
