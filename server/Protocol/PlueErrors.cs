using Plue.Rpc;

namespace Plue.Protocol;

/// <summary>The project's errors as exceptions the peer answers with; see <see cref="PlueErrorCodes"/>.</summary>
public static class PlueErrors
{
    public static RpcException NotFound(string message) => new(PlueErrorCodes.NotFound, message);

    public static RpcException Conflict(string message) => new(PlueErrorCodes.Conflict, message);
}
