using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Agents.Tools.Approvals;

/// <summary><c>permissions/reset</c>: forgets a task's, or a workspace's, allow-always answers.</summary>
public sealed class ResetPermissionsHandler(WorkspacePermissionStore workspaces, ToolApprovals approvals, SidecarSession session)
    : RequestHandler<PermissionsResetParams, PermissionsResetResult>
{
    public override string Method => Methods.PermissionsReset;
    protected override JsonTypeInfo<PermissionsResetParams> ParamsType => PlueJsonContext.Default.PermissionsResetParams;
    protected override JsonTypeInfo<PermissionsResetResult> ResultType => PlueJsonContext.Default.PermissionsResetResult;

    public override ValueTask<PermissionsResetResult> HandleAsync(PermissionsResetParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.TaskId is { Length: > 0 } && request.Folders is not null)
            throw RpcException.InvalidParams("Give taskId or folders, not both");
        if (request.TaskId is { Length: > 0 } task)
            return ValueTask.FromResult(new PermissionsResetResult { Removed = approvals.ResetTask(task, request.Tool) });
        var folders = request.Folders ?? session.WorkspaceFolders;
        if (folders.Count == 0) throw RpcException.InvalidParams("No workspace folder is open; give the folders whose permissions to reset");
        return ValueTask.FromResult(new PermissionsResetResult { Removed = workspaces.Reset(folders, request.Tool) });
    }
}
