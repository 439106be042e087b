namespace Plue.Protocol;

public sealed record CheckpointDiffParams
{
    public required string SessionId { get; init; }
    public required string CheckpointId { get; init; }
    /// <summary>One file of it: its contents before and after the turn are returned too.</summary>
    public string? Path { get; init; }
}
