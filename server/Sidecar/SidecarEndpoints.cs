using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>The sidecar's own methods: the handshake, status and the liveness probe.</summary>
public sealed class SidecarEndpoints(SidecarCore core) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.Initialize, core.Initialize);
        router.Add(Contract.Status, (_, ct) => core.StatusAsync(ct));
        router.Add(Contract.Ping, core.PingAsync);
    }
}
