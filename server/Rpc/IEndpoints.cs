namespace Plue.Rpc;

/// <summary>
/// A feature's endpoint table: each of its contract methods mapped to a delegate, in one place. The host maps
/// every table at start while the peer already serves, so <see cref="Map"/> only adds delegates (no I/O, no
/// JSON metadata: the methods resolve theirs on first call).
/// </summary>
public interface IEndpoints
{
    void Map(RequestRouter router);
}
