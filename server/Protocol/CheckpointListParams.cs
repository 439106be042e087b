namespace Plue.Protocol;

public sealed record CheckpointListParams
{
    /// <summary>A chat's or a task's id.</summary>
    public required string SessionId { get; init; }
}
