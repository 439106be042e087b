using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Engines;

/// <summary>The engines methods: an engine's test (the records themselves are written through codex/*), and terminals in tasks' containers.</summary>
public sealed class EngineEndpoints(EngineService engines, EngineReachability reachability, TaskTerminals terminals) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.EnginesTest, (p, ct) => engines.TestAsync(p.Id, ct));
        router.Add(Contract.EnginesReach, (_, ct) => reachability.ReachAllAsync(ct));
        router.Add(Contract.EnginesOpenTerminal, (p, ct) => terminals.OpenAsync(p, ct));
        router.Add(Contract.EnginesWriteTerminal, (p, ct) => terminals.WriteAsync(p, ct));
        router.Add(Contract.EnginesResizeTerminal, (p, ct) => terminals.ResizeAsync(p, ct));
        router.Add(Contract.EnginesCloseTerminal, (p, ct) => terminals.CloseAsync(p, ct));
    }
}
