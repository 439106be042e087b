namespace Plue.Protocol;

/// <summary><c>engines/reach</c>: every Docker engine record, and whether it answers now, in name order.</summary>
public sealed record EnginesReachResult
{
    public required IReadOnlyList<EngineReachInfo> Engines { get; init; }
}
