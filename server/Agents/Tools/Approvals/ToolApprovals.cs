using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// The permission broker: decides whether a tool that asks may run now, from the grant's auto-approve list and the
/// user's earlier allow-always answers (per task in memory, per workspace in <see cref="WorkspacePermissionStore"/>),
/// else by asking the client with <c>permission/request</c>. In an untrusted workspace it always asks. A client that
/// cannot answer, or none at all (<paramref name="peer"/> null), counts as a no.
/// </summary>
public sealed partial class ToolApprovals(JsonRpcPeer? peer, WorkspacePermissionStore? workspaces, WorkspaceContext session, ILogger<ToolApprovals> logger)
{
    public const string ScopeTask = "task";
    public const string ScopeWorkspace = "workspace";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byTask = new(StringComparer.Ordinal);

    public async Task<ApprovalOutcome> RequestAsync(ToolGrant grant, string tool, JsonElement input, string? reason, CancellationToken cancellationToken)
    {
        var trusted = session.Trusted;
        var folders = session.Folders;
        if (trusted && (ToolNames.Matches(grant.AutoApprove, tool) || AllowedForTask(grant.TaskId, tool) || workspaces?.IsAllowed(folders, tool) == true))
            return ApprovalOutcome.Allow;
        if (!trusted && ToolNames.Matches(grant.AutoApprove, tool)) reason = $"{reason} (asked although auto-approved: the workspace is not trusted)".Trim();

        grant.OnWaitingApproval?.Invoke(true, new PendingApproval { Tool = tool, Input = JsonNode.Parse(input.GetRawText()), Reason = reason });
        PermissionRequestResult answer;
        try
        {
            answer = await AskAsync(grant, tool, input, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogCouldNotAsk(tool, e.Message);
            return ApprovalOutcome.Deny($"The user could not be asked to approve {tool} (the client answered: {e.Message}), so it was not run.");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogCouldNotAsk(tool, e.Message);
            return ApprovalOutcome.Deny($"No client is connected to ask the user to approve {tool}, so it was not run.");
        }
        finally
        {
            grant.OnWaitingApproval?.Invoke(false, null);
        }
        LogDecision(tool, answer.Decision, answer.Scope ?? ScopeTask);
        return Decide(grant.TaskId, tool, answer, trusted, folders);
    }

    public IReadOnlyList<TaskPermissions> ListTasks() =>
        [.. _byTask.Where(t => !t.Value.IsEmpty).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TaskPermissions { TaskId = t.Key, Tools = [.. t.Value.Keys.Order(StringComparer.Ordinal)] })];

    /// <summary>Forgets a task's allow-always answers (one tool, or all); returns how many.</summary>
    public int ResetTask(string taskId, string? tool)
    {
        if (!_byTask.TryGetValue(taskId, out var tools)) return 0;
        if (tool is not null) return tools.TryRemove(tool, out _) ? 1 : 0;
        var count = tools.Count;
        _byTask.TryRemove(taskId, out _);
        return count;
    }

    /// <summary>Every allow-always answer remembered: for the open workspace (persisted) and per running task.</summary>
    public PermissionsListResult Remembered() =>
        new() { Workspaces = workspaces?.List(session.Folders) ?? [], Tasks = ListTasks() };

    /// <summary>Forgets a task's allow-always answers, or a workspace's (the open one unless given); returns how many.</summary>
    public int Forget(string? taskId, IReadOnlyList<string>? folders, string? tool)
    {
        if (taskId is { Length: > 0 } && folders is not null) throw RpcException.InvalidParams("Give taskId or folders, not both");
        if (taskId is { Length: > 0 } task) return ResetTask(task, tool);
        folders ??= session.Folders;
        if (folders.Count == 0) throw RpcException.InvalidParams("No workspace folder is open; give the folders whose permissions to reset");
        return workspaces?.Reset(folders, tool) ?? 0;
    }

    private bool AllowedForTask(string taskId, string tool) => _byTask.TryGetValue(taskId, out var tools) && tools.ContainsKey(tool);

    private async Task<PermissionRequestResult> AskAsync(ToolGrant grant, string tool, JsonElement input, string? reason, CancellationToken cancellationToken)
    {
        if (peer is null) throw new InvalidOperationException("no client");
        var request = grant.ForChat
            ? new PermissionRequestParams { SessionId = grant.TaskId, Tool = tool, Input = input, Reason = reason }
            : new PermissionRequestParams { TaskId = grant.TaskId, Tool = tool, Input = input, Reason = reason };
        return await peer.RequestAsync(Contract.PermissionRequest, request, cancellationToken).ConfigureAwait(false);
    }

    private ApprovalOutcome Decide(string taskId, string tool, PermissionRequestResult answer, bool trusted, IReadOnlyList<string> folders)
    {
        switch (answer.Decision)
        {
            case "allow":
                return ApprovalOutcome.Allow;
            case "allowAlways":
                // Untrusted: nothing is remembered, so the next call asks again.
                if (!trusted) return ApprovalOutcome.Allow;
                if (answer.Scope == ScopeWorkspace && folders.Count > 0 && workspaces is not null) workspaces.Allow(folders, tool);
                else _byTask.GetOrAdd(taskId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[tool] = 0;
                return ApprovalOutcome.Allow;
            case "deny":
                return ApprovalOutcome.Deny(answer.Message is { Length: > 0 } message
                    ? $"The user denied this {tool} call, saying: {message}"
                    : $"The user denied this {tool} call. Do not retry it unchanged; take another approach or ask what they want.");
            default:
                return ApprovalOutcome.Deny($"The approval answer '{answer.Decision}' is none of allow, allowAlways or deny, so {tool} was not run.");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Approval of {Tool}: {Decision} (scope {Scope})")]
    private partial void LogDecision(string tool, string decision, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for approval of {Tool}: {Reason}; treated as denied")]
    private partial void LogCouldNotAsk(string tool, string reason);
}
