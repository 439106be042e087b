namespace Plue.Protocol;

public sealed record SessionQueueEditParams
{
    /// <summary>The queued message's id.</summary>
    public required string Id { get; init; }
    public required string Text { get; init; }
}
