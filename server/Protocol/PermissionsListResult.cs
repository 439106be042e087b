namespace Plue.Protocol;

/// <summary><c>permissions/list</c> result: every remembered allow-always, per workspace and per task.</summary>
public sealed record PermissionsListResult
{
    public required IReadOnlyList<WorkspacePermissions> Workspaces { get; init; }
    public required IReadOnlyList<TaskPermissions> Tasks { get; init; }
    /// <summary>Every grant (the <c>tool-grant</c> records), each naming its chat or task by title.</summary>
    public IReadOnlyList<ToolGrantInfo> Grants { get; init; } = [];
}
