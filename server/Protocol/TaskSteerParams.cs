namespace Plue.Protocol;

public sealed record TaskSteerParams
{
    public required string Id { get; init; }
    public required string Text { get; init; }
}
