using System.Text.Json;

namespace Plue.Protocol;

/// <summary>
/// <c>permission/request</c> (sidecar → client): may a backend run this tool? The client asks the user.
/// </summary>
public sealed record PermissionRequestParams
{
    public string? TaskId { get; init; }
    public string? SessionId { get; init; }
    public required string Tool { get; init; }
    public required JsonElement Input { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// <c>permission/request</c> result: <c>decision</c> allow | allowAlways | deny; <c>message</c> tells the model why.
/// With allowAlways, <c>scope</c> says for how long: <c>"task"</c> (absent means this) remembers it for the rest of
/// the task, in memory; <c>"workspace"</c> remembers it for this set of workspace folders across tasks and restarts,
/// until <c>permissions/reset</c>. In an untrusted workspace nothing is remembered: allowAlways counts as allow.
/// </summary>
public sealed record PermissionRequestResult
{
    public required string Decision { get; init; }
    public string? Message { get; init; }
    public string? Scope { get; init; }
}

/// <summary>The tools the user allowed always for one set of workspace folders.</summary>
public sealed record WorkspacePermissions
{
    /// <summary>Absolute paths, sorted: the workspace is this exact set of folders.</summary>
    public required IReadOnlyList<string> Folders { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
    /// <summary>True for the window's own workspace.</summary>
    public bool Current { get; init; }
}

/// <summary>The tools the user allowed always for one running task (kept in memory only).</summary>
public sealed record TaskPermissions
{
    public required string TaskId { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
}

/// <summary><c>permissions/list</c> result: every remembered allow-always, per workspace and per task.</summary>
public sealed record PermissionsListResult
{
    public required IReadOnlyList<WorkspacePermissions> Workspaces { get; init; }
    public required IReadOnlyList<TaskPermissions> Tasks { get; init; }
}

/// <summary>
/// <c>permissions/reset</c>: forgets allow-always answers. With <c>taskId</c>, that task's; else those of
/// <c>folders</c> (absent: the current workspace). <c>tool</c> narrows it to one tool; absent: all of them.
/// </summary>
public sealed record PermissionsResetParams
{
    public string? TaskId { get; init; }
    public IReadOnlyList<string>? Folders { get; init; }
    public string? Tool { get; init; }
}

/// <summary><c>permissions/reset</c> result: how many remembered tools were forgotten.</summary>
public sealed record PermissionsResetResult
{
    public required int Removed { get; init; }
}
