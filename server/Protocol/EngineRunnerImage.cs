namespace Plue.Protocol;

/// <summary>One runner image a swarm's nodes of one architecture pull.</summary>
public sealed record EngineRunnerImage
{
    /// <summary>The nodes' architecture as Docker names it ("amd64", "arm64").</summary>
    public required string Architecture { get; init; }
    /// <summary>Its full name in the registry (registry.lan:5000/plue-runner:0.1.0-0123456789ab).</summary>
    public required string Image { get; init; }
    /// <summary>True: built and pushed now; false: the registry had it already.</summary>
    public required bool Pushed { get; init; }
}
