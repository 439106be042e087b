namespace Plue.Protocol;

public sealed record SessionArchiveParams
{
    public required string Id { get; init; }
    public bool? Archived { get; init; }
}
