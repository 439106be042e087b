namespace Plue.Protocol;

/// <summary><c>engines/terminalOutput</c>: what the shell wrote to its terminal, as text.</summary>
public sealed record EngineTerminalOutputParams
{
    public required string TerminalId { get; init; }
    public required string Data { get; init; }
}
