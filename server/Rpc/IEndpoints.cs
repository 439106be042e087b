namespace Plue.Rpc;

/// <summary>
/// A feature's endpoint table: each of its contract methods mapped to a delegate, in one place. The host makes a
/// table on the first call of a method it serves (<see cref="EndpointTable"/>), not at start, so making it makes its
/// feature's services then; <see cref="Map"/> only adds delegates (no I/O, no JSON metadata: the methods resolve
/// theirs on first call).
/// </summary>
public interface IEndpoints
{
    void Map(RequestRouter router);
}
