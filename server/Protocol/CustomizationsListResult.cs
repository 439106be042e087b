namespace Plue.Protocol;

/// <summary><c>customizations/list</c> result: every customization found, in precedence order (workspace first).</summary>
public sealed record CustomizationsListResult
{
    /// <summary>Workspace files first (folder by folder), then the user's; within each, the layouts' precedence order.</summary>
    public required IReadOnlyList<CustomizationItem> Items { get; init; }
}
