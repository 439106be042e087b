namespace Plue.Rpc;

/// <summary>The LSP lifecycle as the server sees it.</summary>
public enum LifecycleState
{
    /// <summary>Only <c>initialize</c> and <c>exit</c> are served; other requests get -32002.</summary>
    AwaitingInitialize,
    Running,
    /// <summary>After <c>shutdown</c>: only <c>exit</c> is served.</summary>
    ShuttingDown,
    Exited,
}
