using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Agents.Tools.Approvals;

/// <summary><c>permissions/list</c>: the allow-always answers remembered per workspace and per running task.</summary>
public sealed class ListPermissionsHandler(WorkspacePermissionStore workspaces, ToolApprovals approvals, SidecarSession session)
    : RequestHandler<EmptyParams, PermissionsListResult>
{
    public override string Method => Methods.PermissionsList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<PermissionsListResult> ResultType => PlueJsonContext.Default.PermissionsListResult;

    public override ValueTask<PermissionsListResult> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PermissionsListResult { Workspaces = workspaces.List(session.WorkspaceFolders), Tasks = approvals.ListTasks() });
}
