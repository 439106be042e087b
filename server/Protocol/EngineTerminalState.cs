namespace Plue.Protocol;

/// <summary>Whether a terminal is still open after a write, a resize or a close.</summary>
public sealed record EngineTerminalState
{
    public required string TerminalId { get; init; }
    public required bool Open { get; init; }
}
