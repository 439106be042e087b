namespace Plue.Protocol;

/// <summary><c>engines/test</c>'s word on a swarm engine whose address is a manager's: its nodes and their architectures.</summary>
public sealed record EngineSwarm
{
    /// <summary>Always true in a result that carries it: an engine that is no manager fails its test, saying so.</summary>
    public required bool Manager { get; init; }
    /// <summary>How many nodes are ready to run jobs.</summary>
    public required int ReadyNodes { get; init; }
    /// <summary>How many nodes the swarm has, in any state.</summary>
    public required int Nodes { get; init; }
    /// <summary>The nodes' CPU architectures as Docker names them ("x86_64", "aarch64"), each once, the most common first.</summary>
    public required IReadOnlyList<string> Architectures { get; init; }
    /// <summary>The registry its nodes pull the runner image from (host[:port]).</summary>
    public required string Registry { get; init; }
}
