namespace Plue.Engines;

/// <summary>A swarm as its manager tells it for a test: whether the engine is in one and manages it, and its nodes (none when it is no manager).</summary>
public sealed record SwarmOverview(SwarmState State, IReadOnlyList<SwarmNode> Nodes)
{
    public bool Manager => State.Manager;

    /// <summary>In a swarm, as a manager or a worker.</summary>
    public bool InSwarm => State.Active;

    public int Ready => Nodes.Count(n => n.State == "ready");

    /// <summary>The nodes' architectures as Docker names them (x86_64, aarch64), each once, the most common first.</summary>
    public IReadOnlyList<string> Architectures =>
        [.. Nodes.GroupBy(n => n.Architecture).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key)];
}

public sealed partial class EngineClient
{
    /// <summary>Whether the engine manages a swarm and, when it does, the swarm's nodes (which only a manager lists).</summary>
    public async Task<SwarmOverview> SwarmOverviewAsync(CancellationToken cancellationToken)
    {
        var state = await SwarmInfoAsync(cancellationToken).ConfigureAwait(false);
        return new SwarmOverview(state, state.Manager ? await NodesAsync(cancellationToken).ConfigureAwait(false) : []);
    }
}
