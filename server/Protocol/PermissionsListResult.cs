namespace Plue.Protocol;

/// <summary><c>permissions/list</c> result: every grant, and the same per workspace and per task by what each allows.</summary>
public sealed record PermissionsListResult
{
    public required IReadOnlyList<WorkspacePermissions> Workspaces { get; init; }
    public required IReadOnlyList<TaskPermissions> Tasks { get; init; }
    /// <summary>Every grant (the <c>tool-grant</c> records), each naming its chat or task by title.</summary>
    public IReadOnlyList<ToolGrantInfo> Grants { get; init; } = [];
}
