namespace Plue.Protocol;

/// <summary><c>engines/terminalClosed</c>: the terminal's shell ended, or its container went away.</summary>
public sealed record EngineTerminalClosedParams
{
    public required string TerminalId { get; init; }
    /// <summary>The shell's exit code, when it ended by itself.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Why it closed, in the user's words, when it did not end by itself (its container stopped).</summary>
    public string? Reason { get; init; }
}
