namespace Plue.Protocol;

/// <summary><c>session/startPlan</c>: hands the plan on a message to a turn in <see cref="Mode"/> (default: Agent).</summary>
public sealed record SessionStartPlanParams
{
    public required string SessionId { get; init; }
    /// <summary>The answer that holds the plan; absent: the chat's latest plan.</summary>
    public string? MessageId { get; init; }
    /// <summary>A <see cref="ChatMode"/>'s id to carry the plan out in; absent: Agent.</summary>
    public string? Mode { get; init; }
}
