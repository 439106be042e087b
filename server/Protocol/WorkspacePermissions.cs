namespace Plue.Protocol;

/// <summary>What the grants of one set of workspace folders allow (<c>bash `npm test`</c>, <c>write</c>).</summary>
public sealed record WorkspacePermissions
{
    /// <summary>Absolute paths, sorted: the workspace is this exact set of folders.</summary>
    public required IReadOnlyList<string> Folders { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
    /// <summary>True for the window's own workspace.</summary>
    public bool Current { get; init; }
}
