namespace Plue.Protocol;

/// <summary>
/// <c>engines/runnerImage</c> result: the runner images the swarm's nodes pull, or why they could not be built or
/// pushed (<c>ok: false</c>, an <c>error</c> in the user's words and the <c>fix</c> that mends it, as engines/test's).
/// </summary>
public sealed record EngineRunnerImageResult
{
    public required bool Ok { get; init; }
    /// <summary>The engine's name (its record's title).</summary>
    public required string Engine { get; init; }
    /// <summary>One image per architecture of the swarm's nodes; empty on a failure.</summary>
    public required IReadOnlyList<EngineRunnerImage> Images { get; init; }
    public string? Error { get; init; }
    /// <summary>What mends a failure, as engines/test says it (swarm: the engine's registry or manager; image: the base image or Plue's binary).</summary>
    public string? Fix { get; init; }
}
