namespace Plue.Protocol;

public sealed record CheckpointListResult
{
    /// <summary>False where changes cannot be recorded (no git on PATH, no workspace folder); <see cref="Reason"/> says why.</summary>
    public required bool Available { get; init; }
    public string? Reason { get; init; }
    /// <summary>Oldest first.</summary>
    public required IReadOnlyList<Checkpoint> Checkpoints { get; init; }
}
