namespace Plue.Rpc;

/// <summary>JSON-RPC 2.0 and LSP error codes; the project's own (-33000 and below) are part of its contract (Protocol).</summary>
public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestCancelled = -32800;
}
