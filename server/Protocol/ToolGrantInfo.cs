namespace Plue.Protocol;

/// <summary>
/// A <c>tool-grant</c> record, typed: a tool (narrowed by a bash command prefix, a write/edit path glob, or one MCP
/// tool) that runs without asking (or is refused, <c>decision</c> deny) in a workspace, a chat or a task. Its
/// <see cref="RecordHead.Title"/> is what the sidecar named the record by (<c>bash (workspace)</c>); <see cref="What"/>
/// says it in words.
/// </summary>
public sealed record ToolGrantInfo : RecordHead
{
    /// <summary>workspace | chat | task.</summary>
    public required string Scope { get; init; }
    public required string Tool { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    /// <summary>A host rule's host (<c>host</c> or <c>host:port</c>): a bash command whose every URL is on it.</summary>
    public string? Host { get; init; }
    /// <summary>A grant that widens the sandbox instead of deciding approvals: a path made writable, or a host reachable.</summary>
    public string? SandboxPath { get; init; }
    public string? SandboxHost { get; init; }
    /// <summary>allow | deny.</summary>
    public required string Decision { get; init; }
    /// <summary>A workspace grant's folders: full paths, sorted.</summary>
    public IReadOnlyList<string>? Folders { get; init; }
    /// <summary>A chat's or task's grant: its id, and its title as the user named it (null when it is gone).</summary>
    public string? OwnerId { get; init; }
    public string? OwnerTitle { get; init; }
    /// <summary>The grant in words: <c>bash `npm test`</c>, <c>write src/**</c>.</summary>
    public required string What { get; init; }
    /// <summary>A workspace grant of the window's own workspace.</summary>
    public bool Current { get; init; }
}
