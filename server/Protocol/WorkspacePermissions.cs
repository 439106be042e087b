namespace Plue.Protocol;

/// <summary>The tools the user allowed always for one set of workspace folders.</summary>
public sealed record WorkspacePermissions
{
    /// <summary>Absolute paths, sorted: the workspace is this exact set of folders.</summary>
    public required IReadOnlyList<string> Folders { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
    /// <summary>True for the window's own workspace.</summary>
    public bool Current { get; init; }
}
