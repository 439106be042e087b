namespace Plue.Rpc;

/// <summary>An error to send back as a JSON-RPC error response; the message is shown to people.</summary>
public sealed class RpcException(int code, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;

    public static RpcException InvalidParams(string message) => new(ErrorCodes.InvalidParams, message);
    public static RpcException NotFound(string message) => new(ErrorCodes.NotFound, message);
}
