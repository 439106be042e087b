namespace Plue.Protocol;

public sealed record SessionSearchParams
{
    /// <summary>Words to find in titles and messages (each a prefix, all of them in one message or title); empty: every chat and task the filters keep.</summary>
    public required string Query { get; init; }
    /// <summary>Only chats and tasks on this provider instance.</summary>
    public string? InstanceId { get; init; }
    /// <summary>Only those with this tag.</summary>
    public string? Tag { get; init; }
    /// <summary>Only chats in this mode (its id, as <c>session/modes</c> lists them); tasks have none.</summary>
    public string? Mode { get; init; }
    /// <summary>Only chats, or only tasks.</summary>
    public SearchHitKind? Kind { get; init; }
    /// <summary>Changed on or after this date or time (ISO 8601; a date alone is its start, UTC).</summary>
    public string? From { get; init; }
    /// <summary>Changed on or before this date or time (ISO 8601; a date alone is its end, UTC).</summary>
    public string? To { get; init; }
    /// <summary>relevance (the default with words), newest (the default without) or oldest.</summary>
    public SearchSort? Sort { get; init; }
    /// <summary>At most this many results (50 by default, 200 at most).</summary>
    public int? Limit { get; init; }
}
