namespace Plue.Checkpoints;

/// <summary>
/// One recorded change, a line of its owner's log: the workspace's tree (a git tree id) before and after one tool
/// call, Apply or restore, and the files that differ as git names them (<c>A</c>, <c>M</c>, <c>D</c> then the path).
/// </summary>
internal sealed record CheckpointEntry
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public string? MessageId { get; init; }
    public required string Kind { get; init; }
    public required string Before { get; init; }
    public required string After { get; init; }
    public required long At { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
}
