namespace Plue.Protocol;

/// <summary><c>engines/resizeTerminal</c>: the terminal's new size.</summary>
public sealed record EngineTerminalResizeParams
{
    public required string TerminalId { get; init; }
    public required int Cols { get; init; }
    public required int Rows { get; init; }
}
