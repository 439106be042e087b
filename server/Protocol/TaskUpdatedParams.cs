namespace Plue.Protocol;

public sealed record TaskUpdatedParams
{
    public required AgentTask Task { get; init; }
}
