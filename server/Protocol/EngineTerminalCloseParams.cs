namespace Plue.Protocol;

/// <summary><c>engines/closeTerminal</c>: the user closed the terminal.</summary>
public sealed record EngineTerminalCloseParams
{
    public required string TerminalId { get; init; }
}
