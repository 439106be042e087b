namespace Plue.Protocol;

/// <summary><c>engines/openTerminal</c>: a shell in a task's container, with a terminal of this size.</summary>
public sealed record EngineTerminalOpenParams
{
    /// <summary>The task whose container it opens in.</summary>
    public required string TaskId { get; init; }
    public required int Cols { get; init; }
    public required int Rows { get; init; }
}
