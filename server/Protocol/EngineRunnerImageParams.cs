namespace Plue.Protocol;

/// <summary><c>engines/runnerImage</c> params: a swarm engine record, and the base image (null: the workspace's, as a task's container picks it).</summary>
public sealed record EngineRunnerImageParams
{
    public required string Id { get; init; }
    public string? Image { get; init; }
}
