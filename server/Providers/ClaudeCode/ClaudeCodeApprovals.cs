using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers.ClaudeCode;

/// <summary>The sidecar's tool approver: asks the client with <c>permission/request</c>.</summary>
public static class ClaudeCodeApprovals
{
    public static Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> ViaClient(JsonRpcPeer peer, string? taskId = null) =>
        async (request, cancellationToken) =>
        {
            var answer = await peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams
            {
                TaskId = taskId,
                SessionId = request.SessionId,
                Tool = request.Tool,
                Input = request.Input,
                Reason = request.Reason,
            }, cancellationToken).ConfigureAwait(false);
            return answer.Decision switch
            {
                "allow" => new ToolApprovalDecision(ToolApprovalBehavior.Allow, answer.Message),
                "allowAlways" => new ToolApprovalDecision(ToolApprovalBehavior.AllowAlways, answer.Message),
                _ => new ToolApprovalDecision(ToolApprovalBehavior.Deny, answer.Message),
            };
        };
}
