namespace Plue.Protocol;

/// <summary>
/// One turn's changes to the workspace: those its tool calls (write, edit, bash) made, or a restore's.
/// <see cref="MessageId"/> is the user message whose turn made them (for a restore, the message restored to).
/// </summary>
public sealed record Checkpoint
{
    public required string Id { get; init; }
    /// <summary>The chat or task that made it: a task's list holds its sub-tasks' checkpoints too.</summary>
    public required string SessionId { get; init; }
    public string? MessageId { get; init; }
    /// <summary><c>turn</c> (a turn's tool calls), or <c>restore</c> (made by a restore, which restoring undoes).</summary>
    public required string Kind { get; init; }
    public required IReadOnlyList<CheckpointFile> Files { get; init; }
    public required int Added { get; init; }
    public required int Modified { get; init; }
    public required int Deleted { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
