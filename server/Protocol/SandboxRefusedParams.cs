namespace Plue.Protocol;

/// <summary>
/// <c>sandbox/refused</c> notification params: what the sandbox refused a child no chat or task was using at the time
/// (a shared MCP server between calls), told to the window since no card can carry it.
/// </summary>
public sealed record SandboxRefusedParams
{
    /// <summary>What the user reads (a toast): the child by its name, what was refused, and what to do.</summary>
    public required string Message { get; init; }
    /// <summary>The MCP server's name (its record's title).</summary>
    public required string Server { get; init; }
    public required IReadOnlyList<SandboxDenialInfo> Denials { get; init; }
}
