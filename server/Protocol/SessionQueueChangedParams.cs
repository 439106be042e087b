namespace Plue.Protocol;

/// <summary>
/// One change to a chat's (or task's) queue, told in the order the changes were made: exactly one of <c>added</c>,
/// <c>edited</c>, <c>removed</c> and <c>movedToFront</c> is set. A client keeps its own copy of the queue (read with
/// <c>session/queue</c> or <c>task/queue</c>) and applies each change; when its copy's length then differs from
/// <c>count</c> (it read the queue while changes were on their way) it reads the queue again.
/// </summary>
public sealed record SessionQueueChangedParams
{
    public required string SessionId { get; init; }
    /// <summary>A message put at the end of the queue.</summary>
    public QueuedMessage? Added { get; init; }
    /// <summary>A queued message whose text changed, as it now is.</summary>
    public QueuedMessage? Edited { get; init; }
    /// <summary>The id of a message that left the queue: sent, or removed unsent.</summary>
    public string? Removed { get; init; }
    /// <summary>The id of a message moved ahead of the rest (Send now).</summary>
    public string? MovedToFront { get; init; }
    /// <summary>How many messages are queued after this change.</summary>
    public required int Count { get; init; }
}
