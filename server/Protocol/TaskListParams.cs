namespace Plue.Protocol;

public sealed record TaskListParams
{
    /// <summary>Only the children of this task; absent: every task.</summary>
    public string? ParentId { get; init; }
}
