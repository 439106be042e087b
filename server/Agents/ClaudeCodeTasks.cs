using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Tools;
using Plue.Protocol;
using Plue.Providers.ClaudeCode;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// A task on the claude-code backend: the CLI runs its own tool loop, so the task's tools become the CLI's
/// <c>--tools</c> list, and the CLI's approval questions go to the user through <c>permission/request</c> with the
/// task's id (tools in <c>auto_approve</c> are allowed without asking).
/// </summary>
public static class ClaudeCodeTasks
{
    private static readonly Dictionary<string, string[]> s_cliTools = new(StringComparer.Ordinal)
    {
        ["read"] = ["Read"],
        ["write"] = ["Write"],
        ["edit"] = ["Edit"],
        ["search"] = ["Grep", "Glob"],
        ["bash"] = ["Bash"],
    };

    /// <summary>The <c>--tools</c> value: the CLI's names for the granted tools ("" when none: the CLI gets no tools).</summary>
    public static string CliTools(ToolGrant grant) =>
        string.Join(",", s_cliTools.Where(t => grant.Allowed.Contains(t.Key)).SelectMany(t => t.Value));

    /// <summary>The plue tool a CLI tool belongs to, for <c>auto_approve</c>; null for one the task was never given.</summary>
    public static string? PlueTool(string cliTool)
    {
        foreach (var (tool, cliNames) in s_cliTools)
            if (cliNames.Contains(cliTool, StringComparer.Ordinal)) return tool;
        return cliTool is "MultiEdit" or "NotebookEdit" ? "edit" : null;
    }

    public static Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> Approver(JsonRpcPeer peer, ToolGrant grant)
    {
        var ask = ClaudeCodeApprovals.ViaClient(peer, grant.TaskId);
        return async (request, cancellationToken) =>
        {
            var tool = PlueTool(request.Tool);
            if (tool is null || !grant.Allowed.Contains(tool)) return ToolApprovalDecision.Deny($"The task was not given the {request.Tool} tool.");
            if (grant.AutoApprove.Contains(tool)) return ToolApprovalDecision.Allow;
            grant.OnWaitingApproval?.Invoke(true, new PendingApproval { Tool = request.Tool, Input = Node(request.Input), Reason = request.Reason });
            try
            {
                return await ask(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                grant.OnWaitingApproval?.Invoke(false, null);
            }
        };
    }

    private static JsonNode? Node(JsonElement input) => input.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(input.GetRawText());
}
