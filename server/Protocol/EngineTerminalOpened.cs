namespace Plue.Protocol;

/// <summary>The terminal <c>engines/openTerminal</c> opened: its id, and where it runs in the user's words.</summary>
public sealed record EngineTerminalOpened
{
    public required string TerminalId { get; init; }
    /// <summary>The engine's name (its record's title), or "This machine's Docker" for the local engine.</summary>
    public required string Engine { get; init; }
    /// <summary>The container's short id (12 characters).</summary>
    public required string ShortId { get; init; }
}
