namespace Plue.Rpc;

/// <summary>A feature's handler for one method; the host registers every one in the router at start.</summary>
public interface IRpcHandler
{
    void Register(RequestRouter router);
}
