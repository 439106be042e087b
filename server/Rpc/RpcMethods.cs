namespace Plue.Rpc;

/// <summary>The methods the transport itself handles: the LSP lifecycle and the <c>$/</c> notifications.</summary>
public static class RpcMethods
{
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string CancelRequest = "$/cancelRequest";
    public const string Progress = "$/progress";
    public const string AcpCancelRequest = "$/cancel_request";

    /// <summary><c>$/cancelRequest {id}</c>: the sender no longer wants the answer to its request.</summary>
    public static readonly NotificationType<CancelParams> CancelNotification = new(CancelRequest, () => RpcJsonContext.Default.CancelParams);

    /// <summary>ACP's <c>$/cancel_request {id}</c>: the same as <see cref="CancelNotification"/>, under ACP's name.</summary>
    public static readonly NotificationType<CancelParams> AcpCancelNotification = new(AcpCancelRequest, () => RpcJsonContext.Default.CancelParams);

    /// <summary><c>$/progress {token, value}</c>: work-done or partial-result progress of a request.</summary>
    public static readonly NotificationType<ProgressParams> ProgressNotification = new(Progress, () => RpcJsonContext.Default.ProgressParams);
}
