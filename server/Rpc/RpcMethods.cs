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
}
