using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// The permission broker: decides whether a tool that asks may run now by one ordered rule list (the mode's or the
/// task's auto-approve, then the workspace's grants, then the chat's or task's: <see cref="ApprovalVerdict.Evaluate"/>),
/// else by asking the user with <c>permission/request</c>; an "Always…" answer becomes a grant
/// (<see cref="ToolGrants"/>). Every decision names the rule that made it, kept on the call's transcript part. In an
/// untrusted workspace no allow rule counts: it always asks and remembers nothing. A client that cannot answer, or
/// none at all (<paramref name="peer"/> null), counts as a no.
/// </summary>
/// <param name="serverUrl">A remote MCP server's URL by its name, for host rules on MCP tools; null: none is known.</param>
public sealed partial class ToolApprovals(JsonRpcPeer? peer, ToolGrants? grants, WorkspaceContext session, ILogger<ToolApprovals> logger,
    Func<string, string?>? serverUrl = null)
{
    public const string ScopeTask = "task";
    public const string ScopeWorkspace = "workspace";

    /// <summary>The rules in force for this chat or task here, in the order they are weighed.</summary>
    public IReadOnlyList<ApprovalRule> Rules(ToolGrant grant) =>
    [
        .. grant.AutoApprove.Order(StringComparer.Ordinal).Select(tool => new ApprovalRule { Source = ApprovalRule.FromMode, Tool = tool }),
        .. grants?.Rules(session.Folders, grant.TaskId, grant.ForChat) ?? [],
    ];

    public async Task<ApprovalOutcome> RequestAsync(ToolGrant grant, string tool, JsonElement input, string? reason, CancellationToken cancellationToken)
    {
        var trusted = session.Trusted;
        var folders = session.Folders;
        var weighed = Weigh(grant, Rules(grant), tool, input);
        if (weighed.Decision == ApprovalRule.Deny) return new(false, weighed, $"{tool} is refused here by a rule ({weighed.Rule}), so it was not run.");
        if (weighed.Decision == ApprovalRule.Allow) return new(true, weighed);
        if (weighed.Source != ApprovalOutcome.Sources.User) reason = $"{reason} (asked although {weighed.Rule} allows it: the workspace is not trusted)".Trim();

        grant.OnWaitingApproval?.Invoke(true, new PendingApproval { Tool = tool, Input = JsonNode.Parse(input.GetRawText()), Reason = reason });
        PermissionRequestResult answer;
        try
        {
            answer = await AskAsync(grant, tool, input, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogCouldNotAsk(tool, e.Message);
            return ApprovalOutcome.Deny($"The user could not be asked to approve {tool} (the client answered: {e.Message}), so it was not run.", rule: "the user could not be asked");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogCouldNotAsk(tool, e.Message);
            return ApprovalOutcome.Deny($"No client is connected to ask the user to approve {tool}, so it was not run.", rule: "no one to ask");
        }
        finally
        {
            grant.OnWaitingApproval?.Invoke(false, null);
        }
        LogDecision(tool, answer.Decision, answer.Scope ?? ScopeTask);
        return Decide(grant, tool, answer, trusted, folders);
    }

    /// <summary>
    /// What <paramref name="rules"/> say of a call, asking no one: allow or deny by the deciding rule, or ask (by no rule,
    /// or by an allow rule that does not count in an untrusted workspace: then its source is the rule's). The one
    /// weighing <see cref="RequestAsync"/> and <c>approvals/replay</c> share.
    /// </summary>
    public ToolApproval Weigh(ToolGrant grant, IReadOnlyList<ApprovalRule> rules, string tool, JsonElement input)
    {
        var verdict = ApprovalVerdict.Evaluate(rules, tool, input, grant.Folders ?? session.Folders, serverUrl);
        if (verdict.Rule is not { } rule) return new() { Decision = ApprovalRule.Ask, Source = ApprovalOutcome.Sources.User, Rule = "no rule speaks of it", Tool = tool };
        var decision = verdict.Decision == ApprovalRule.Deny ? ApprovalRule.Deny : session.Trusted ? ApprovalRule.Allow : ApprovalRule.Ask;
        return new() { Decision = decision, Source = rule.Source, Rule = Words(rule, grant), GrantId = rule.GrantId, Tool = tool };
    }

    /// <summary>Every grant, and the open workspace's and each task's tools as the older listing named them.</summary>
    public PermissionsListResult Remembered()
    {
        var all = grants?.Records().Select(r => grants.Info(r, session.Folders)).OrderBy(g => g.Scope, StringComparer.Ordinal).ThenBy(g => g.What, StringComparer.Ordinal).ToList() ?? [];
        return new()
        {
            Workspaces = [.. all.Where(g => g.Scope == ScopeWorkspace).GroupBy(g => string.Join('\n', g.Folders ?? []))
                .Select(w => new WorkspacePermissions { Folders = w.First().Folders ?? [], Tools = [.. w.Select(g => g.What).Order(StringComparer.Ordinal)], Current = w.First().Current })],
            Tasks = [.. all.Where(g => g.Scope == ScopeTask && g.OwnerId is not null).GroupBy(g => g.OwnerId!).OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => new TaskPermissions { TaskId = t.Key, Tools = [.. t.Select(g => g.What).Order(StringComparer.Ordinal)] })],
            Grants = all,
        };
    }

    /// <summary>Revokes one grant (<paramref name="id"/>), or a chat's or task's grants, or a workspace's (the open one unless given); returns how many.</summary>
    public int Forget(string? id, string? taskId, IReadOnlyList<string>? folders, string? tool)
    {
        if (grants is null) return 0;
        if (id is { Length: > 0 }) return grants.Revoke(id);
        if (taskId is { Length: > 0 } && folders is not null) throw RpcException.InvalidParams("Give taskId or folders, not both");
        if (taskId is { Length: > 0 } owner) return grants.Revoke(null, owner, tool);
        folders ??= session.Folders;
        if (folders.Count == 0) throw RpcException.InvalidParams("No workspace folder is open; give the folders whose permissions to reset");
        return grants.Revoke(folders, null, tool);
    }

    /// <summary>A rule in words, naming where it holds: "bash `npm test` in this workspace", "mode Agent runs write".</summary>
    private static string Words(ApprovalRule rule, ToolGrant grant) => rule.Source switch
    {
        ApprovalRule.FromMode => grant.ForChat ? $"the chat's mode runs {rule.What} without asking" : $"the task's auto_approve has {rule.What}",
        ApprovalRule.FromWorkspace => $"grant: {rule.What} in this workspace",
        ApprovalRule.FromUser => $"grant: {rule.What} everywhere",
        ApprovalRule.FromFile => $"the rules file's {(rule.Decision == ApprovalRule.Deny ? "deny" : "allow")} {rule.What}",
        _ => $"grant: {rule.What} in this {rule.Source}",
    };

    private async Task<PermissionRequestResult> AskAsync(ToolGrant grant, string tool, JsonElement input, string? reason, CancellationToken cancellationToken)
    {
        if (peer is null) throw new InvalidOperationException("no client");
        var folders = grant.Folders ?? session.Folders;
        var request = new PermissionRequestParams
        {
            TaskId = grant.ForChat ? null : grant.TaskId,
            SessionId = grant.ForChat ? grant.TaskId : null,
            Tool = tool,
            Input = input,
            Reason = reason,
            SuggestedPrefix = tool == "bash" ? CommandPrefix.Suggest(Text(input, "command")) : null,
            SuggestedGlob = tool is "write" or "edit" ? PathGlob.Suggest(Text(input, "path"), folders) : null,
            SandboxPolicy = tool == "bash" ? grant.RunsIn ?? grant.Sandbox.DescribeHere() : null,
        };
        // A host rule narrows a prefix rule (`curl` to 127.0.0.1:8080): offered only beside the prefix it narrows.
        if (request.SuggestedPrefix is not null) request = request with { SuggestedHost = ApprovalRule.SuggestHost(Text(input, "command")) };
        return await peer.RequestAsync(Contract.PermissionRequest, request, cancellationToken).ConfigureAwait(false);
    }

    private ApprovalOutcome Decide(ToolGrant grant, string tool, PermissionRequestResult answer, bool trusted, IReadOnlyList<string> folders)
    {
        switch (answer.Decision)
        {
            case "allow":
                return ApprovalOutcome.Allow(ApprovalOutcome.Sources.User, "you allowed it once");
            case "allowAlways":
                // Untrusted: nothing is remembered, so the next call asks again.
                if (!trusted || grants is null) return ApprovalOutcome.Allow(ApprovalOutcome.Sources.User, "you allowed it (not remembered: the workspace is not trusted)");
                var scope = answer.Scope == ScopeWorkspace && folders.Count > 0 ? ScopeWorkspace
                    : answer.Scope == ApprovalRule.FromUser ? ApprovalRule.FromUser
                    : grant.ForChat ? ApprovalRule.FromChat : ScopeTask;
                var prefix = tool == "bash" ? answer.CommandPrefix : null;
                var glob = tool is "write" or "edit" ? answer.PathGlob : null;
                var host = tool == "bash" && !string.IsNullOrWhiteSpace(answer.Host) ? answer.Host.Trim() : null;
                if (host is not null && ApprovalRule.HostProblem(host) is { } badHost)
                    return ApprovalOutcome.Allow(ApprovalOutcome.Sources.User, $"you allowed it once (not remembered: {badHost})");
                var made = grants.Add(scope, folders, grant.TaskId, tool, prefix, glob, host);
                var rule = new ApprovalRule { Source = scope, Tool = tool, CommandPrefix = prefix?.Trim(), PathGlob = glob?.Trim(), Host = host };
                return ApprovalOutcome.Allow(ApprovalOutcome.Sources.User, $"you allowed it always ({Words(rule, grant)})", made.Id);
            case "deny":
                return ApprovalOutcome.Deny(answer.Message is { Length: > 0 } message
                    ? $"The user denied this {tool} call, saying: {message}"
                    : $"The user denied this {tool} call. Do not retry it unchanged; take another approach or ask what they want.");
            default:
                return ApprovalOutcome.Deny($"The approval answer '{answer.Decision}' is none of allow, allowAlways or deny, so {tool} was not run.", rule: "an answer that is none of allow, allowAlways or deny");
        }
    }

    private static string? Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Approval of {Tool}: {Decision} (scope {Scope})")]
    private partial void LogDecision(string tool, string decision, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for approval of {Tool}: {Reason}; treated as denied")]
    private partial void LogCouldNotAsk(string tool, string reason);
}
