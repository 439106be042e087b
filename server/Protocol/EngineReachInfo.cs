namespace Plue.Protocol;

/// <summary>Whether one Docker engine answers now (<c>engines/reach</c>): its version, or why not with what mends it.</summary>
public sealed record EngineReachInfo
{
    /// <summary>The engine record's name (its title).</summary>
    public required string Engine { get; init; }
    public required string EngineId { get; init; }
    public required bool Ok { get; init; }
    /// <summary>Docker's version, when it answered.</summary>
    public string? Version { get; init; }
    /// <summary>The API version spoken with it.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>Why it did not answer, on one line saying what to do.</summary>
    public string? Error { get; init; }
    /// <summary>What mends it, as <c>engines/test</c>'s <c>fix</c>.</summary>
    public string? Fix { get; init; }
}
