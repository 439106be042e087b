namespace Plue.Protocol;

public sealed record RefParams
{
    public required string Ref { get; init; }
}
