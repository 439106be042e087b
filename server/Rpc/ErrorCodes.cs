namespace Plue.Rpc;

/// <summary>JSON-RPC 2.0 and LSP error codes; the project's own (-33000 and below) are part of its contract (Protocol).</summary>
public static class ErrorCodes
{
    /// <summary>A message could not be read: a bad header block or a body that is not JSON.</summary>
    public const int ParseError = -32700;
    /// <summary>The message is JSON but not a valid JSON-RPC request (or a second <c>initialize</c>, or a request after <c>shutdown</c>).</summary>
    public const int InvalidRequest = -32600;
    /// <summary>No such method.</summary>
    public const int MethodNotFound = -32601;
    /// <summary>The params do not fit the method; the message names the member, <c>data</c> may say more.</summary>
    public const int InvalidParams = -32602;
    /// <summary>The handler failed unexpectedly; the message says where.</summary>
    public const int InternalError = -32603;
    /// <summary>LSP: a request came before <c>initialize</c>.</summary>
    public const int ServerNotInitialized = -32002;
    /// <summary>LSP: the request was cancelled by <c>$/cancelRequest</c>.</summary>
    public const int RequestCancelled = -32800;
}
