using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Customizations;
using Plue.Providers.ClaudeCode;

namespace Plue.Agents.Backends;

/// <summary>
/// A task on the claude-code backend: the CLI runs its own tool loop, so the task's tools become the CLI's
/// <c>--tools</c> list (its MCP servers its <c>--mcp-config</c>, see <see cref="Mcp.ClaudeCodeTaskMcp"/>), and the CLI's
/// approval questions go through the sidecar's approvals under the plue tool's name (an MCP tool's own
/// <c>mcp__server__tool</c>), the user asked with the task's id. spawn_task is not available there.
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

    /// <summary>
    /// The CLI's approval questions, answered like the sidecar's own tools': by <see cref="ToolApprovals"/> under the
    /// plue tool's name (auto_approve, allow-always, else <c>permission/request</c> with the task id).
    /// </summary>
    /// <param name="hooks">An ACP agent's: its permission questions pass the PreToolUse agent hooks first (exit 2 rejects
    /// the call with the hook's stderr). Null for Claude Code, which runs its settings' hooks itself.</param>
    public static Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> Approver(ToolApprovals approvals, ToolGrant grant, IAgentHooks? hooks = null) =>
        Approver(approvals, () => grant, hooks);

    /// <summary>As above, with the grant read at each question (a chat's tools may change while its CLI process lives).</summary>
    public static Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> Approver(ToolApprovals approvals, Func<ToolGrant> current, IAgentHooks? hooks = null) =>
        async (request, cancellationToken) =>
        {
            var grant = current();
            // Not a tool: whether to run an ACP agent in an untrusted workspace at all, which only the user answers.
            if (request.Tool == Providers.Acp.AcpAgentOptions.UntrustedTool)
            {
                var asked = await approvals.RequestAsync(grant, request.Tool, request.Input, request.Reason, cancellationToken).ConfigureAwait(false);
                return asked.Allowed ? ToolApprovalDecision.Allow : ToolApprovalDecision.Deny(asked.Reason ?? "The user did not run the agent.");
            }
            var tool = ToolNames.McpServerOf(request.Tool) is not null ? request.Tool : PlueTool(request.Tool);
            if (tool is null || !ToolNames.Matches(grant.Allowed, tool))
                return ToolApprovalDecision.Deny($"The {(grant.ForChat ? "chat" : "task")} was not given the {request.Tool} tool.") with
                {
                    Approval = new() { Decision = ApprovalRule.Deny, Source = ApprovalOutcome.Sources.Tool, Rule = $"{request.Tool} is not among the {(grant.ForChat ? "chat" : "task")}'s tools", Tool = tool },
                };
            if (hooks is not null)
            {
                var hookCall = Turns.TurnHooks.PreToolUse(new(grant.TaskId, grant.Folders, grant.Sandbox, ClaudeCode: false), tool, request.Input);
                var pre = await hooks.RunAsync(hookCall, cancellationToken).ConfigureAwait(false);
                if (pre.Blocked)
                    return ToolApprovalDecision.Deny($"A PreToolUse hook blocked this call: {pre.Feedback}") with
                    {
                        Approval = new() { Decision = ApprovalRule.Deny, Source = ApprovalOutcome.Sources.Tool, Rule = "a PreToolUse hook", Tool = tool },
                    };
            }
            var outcome = await approvals.RequestAsync(grant, tool, request.Input, request.Reason ?? $"Claude Code wants to use {request.Tool}", cancellationToken).ConfigureAwait(false);
            // The deciding rule goes back with the answer, so the call's transcript part records it as a plue tool's does.
            return (outcome.Allowed ? ToolApprovalDecision.Allow : ToolApprovalDecision.Deny(outcome.Reason ?? $"The user denied {request.Tool}.")) with { Approval = outcome.Decided with { Tool = tool } };
        };

}
