namespace Plue.Protocol;

public sealed record SessionRenameParams
{
    public required string Id { get; init; }
    public required string Title { get; init; }
}
