namespace Plue.Protocol;

public sealed record SessionListParams
{
    public bool? Archived { get; init; }
    /// <summary>At most this many chats (1 to 1000); absent: every one.</summary>
    public int? Limit { get; init; }
    /// <summary>The chats after this one (the last id of the previous page), in the list's order.</summary>
    public string? After { get; init; }
}
