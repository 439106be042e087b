namespace Plue.Protocol;

public sealed record TaskListParams
{
    /// <summary>Only the children of this task; absent: every task.</summary>
    public string? ParentId { get; init; }
    /// <summary>At most this many tasks (1 to 1000); absent: every one.</summary>
    public int? Limit { get; init; }
    /// <summary>The tasks after this one (the last id of the previous page), in the list's order.</summary>
    public string? After { get; init; }
}
