using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Engines;

/// <summary>The engines methods: an engine's test (the records themselves are written through codex/*).</summary>
public sealed class EngineEndpoints(EngineService engines) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.EnginesTest, (p, ct) => engines.TestAsync(p.Id, ct));
    }
}
