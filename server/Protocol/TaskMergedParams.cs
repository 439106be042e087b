namespace Plue.Protocol;

/// <summary><c>task/merged</c>: a task merged a sub-task's changes into its folder (<c>merge_changes</c>).</summary>
public sealed record TaskMergedParams
{
    /// <summary>The sub-task whose changes were merged, and its title.</summary>
    public required string TaskId { get; init; }
    public required string Title { get; init; }
    /// <summary>The task that merged them.</summary>
    public required string MergedBy { get; init; }
    public required TaskApplyChangesResult Result { get; init; }
}
