using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Engines;

/// <summary>The engines methods: an engine's test and reachability (the records themselves are written through codex/*; a task container's terminal is Agents/Containers/TerminalEndpoints).</summary>
public sealed class EngineEndpoints(EngineService engines, EngineReachability reachability) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.EnginesTest, (p, ct) => engines.TestAsync(p.Id, ct));
        router.Add(Contract.EnginesReach, (_, ct) => reachability.ReachAllAsync(ct));
    }
}
