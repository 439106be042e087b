namespace Plue.Protocol;

/// <summary><c>customizations/list</c> item: one instructions file, skill, command, agent, agent hook or MCP server found in a file.</summary>
public sealed record CustomizationItem
{
    public required CustomizationKind Kind { get; init; }
    /// <summary>What the user calls it: a skill's or agent's name, a command without its <c>/</c>, an MCP server's key, an instructions file's path, a hook's event and matcher.</summary>
    public required string Name { get; init; }
    /// <summary>The file's own description (front matter), or what it applies to; absent when it says none.</summary>
    public string? Description { get; init; }
    /// <summary>The file's absolute path; for a Plue record, its <c>codex://</c> reference.</summary>
    public required string Source { get; init; }
    public required CustomizationScope Scope { get; init; }
    /// <summary>The layout it was found in, e.g. <c>claude-skills</c>, <c>github-instructions</c> (docs/CUSTOMIZATIONS.md); <c>plue-record</c> for a record.</summary>
    public required string Layout { get; init; }
    public required CustomizationStatus Status { get; init; }
    /// <summary>Why it is ignored, in words that say what to do; absent when used.</summary>
    public string? Reason { get; init; }
    /// <summary>The record's id, for a Plue record (editable, with history); absent for a found file (read-only: Copy to Plue makes a record of it).</summary>
    public string? RecordId { get; init; }
}
