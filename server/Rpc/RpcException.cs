using System.Text.Json;

namespace Plue.Rpc;

/// <summary>An error to send back as a JSON-RPC error response; the message is shown to people.</summary>
public sealed class RpcException(int code, string message, JsonElement? data = null, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;

    /// <summary>Machine-readable detail (the error's <c>data</c>), e.g. which fields are invalid.</summary>
    public JsonElement? Detail { get; } = data;

    public static RpcException InvalidParams(string message, JsonElement? data = null) => new(ErrorCodes.InvalidParams, message, data);
}
