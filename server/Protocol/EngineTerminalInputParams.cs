namespace Plue.Protocol;

/// <summary><c>engines/writeTerminal</c>: what the user typed, as the terminal sends it.</summary>
public sealed record EngineTerminalInputParams
{
    public required string TerminalId { get; init; }
    public required string Data { get; init; }
}
