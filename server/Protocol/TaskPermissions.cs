namespace Plue.Protocol;

/// <summary>The tools the user allowed always for one running task (kept in memory only).</summary>
public sealed record TaskPermissions
{
    public required string TaskId { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
}
