namespace Plue.Protocol;

public sealed record SessionQueueChangedParams
{
    public required string SessionId { get; init; }
    /// <summary>The chat's whole queue, in the order it will be sent.</summary>
    public required IReadOnlyList<QueuedMessage> Queued { get; init; }
}
