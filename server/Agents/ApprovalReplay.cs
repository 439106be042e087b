using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Backends;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// <c>approvals/replay</c>: a chat's or task's recorded tool calls weighed again by <see cref="ToolApprovals.Weigh"/>,
/// the one weighing live calls get, against the rules in force now or a rules file's, so a user sees what tightening a
/// rule would change without running anything. Nothing is asked, run or written; no model takes part.
/// </summary>
public sealed class ApprovalReplay(CodexService codex, MessageStore messages, TaskGrants taskGrants, ChatModes modes, ToolApprovals approvals, ToolRunner tools)
{
    public ApprovalsReplayResult Replay(ApprovalsReplayParams request)
    {
        var record = codex.Get(request.Id);
        var isChat = codex.IsA(record, SessionService.TemplateId);
        if (!isChat && !codex.IsA(record, TaskFields.BaseTemplate))
            throw RpcException.InvalidParams($"'{record.Title}' is neither a chat nor a task: only their tool calls can be replayed");
        var grant = isChat ? ChatGrant(record) : taskGrants.For(record, claudeCode: false, (_, _) => { });
        var rules = request.Rules is { } given ? [.. given.Select(FileRule)] : approvals.Rules(grant);
        var calls = messages.Messages(record.Id).SelectMany(m => m.Parts).OfType<ToolUsePart>().Select(part => Weigh(part, grant, rules)).ToList();
        return new ApprovalsReplayResult
        {
            Id = record.Id,
            Title = record.Title,
            Kind = isChat ? "chat" : "task",
            FromFile = request.Rules is not null,
            Rules = [.. rules.Select(r => new ApprovalRuleInfo { Tool = r.Tool, CommandPrefix = r.CommandPrefix, PathGlob = r.PathGlob, Host = r.Host, Decision = r.Decision, Source = r.Source, What = r.What })],
            Calls = calls,
        };
    }

    /// <summary>A chat's rules come from its mode (what it runs without asking) and its grants; its tools do not change them.</summary>
    private ToolGrant ChatGrant(CodexRecord chat) => new()
    {
        TaskId = chat.Id,
        ForChat = true,
        Allowed = new HashSet<string>(StringComparer.Ordinal),
        AutoApprove = (ChatRecordFields.Of(chat.Fields).Mode is { } mode ? modes.Find(mode)?.AutoApprove ?? [] : []).ToHashSet(StringComparer.Ordinal),
    };

    private ReplayedCall Weigh(ToolUsePart part, ToolGrant grant, IReadOnlyList<ApprovalRule> rules)
    {
        var tool = ToolOf(part);
        var input = part.Input is { } given ? JsonSerializer.SerializeToElement(given, PlueJsonContext.Default.JsonNode) : default;
        var would = tools.Asks(tool)
            ? approvals.Weigh(grant, rules, tool, input)
            : new ToolApproval { Decision = ApprovalRule.Allow, Source = ApprovalOutcome.Sources.Tool, Rule = $"{tool} never asks", Tool = tool };
        return new ReplayedCall { ToolCallId = part.ToolCallId ?? part.Id, Tool = tool, Call = Summary(tool, part.Input), Recorded = part.Approval, Would = would, Words = Words(would) };
    }

    /// <summary>The Plue tool a call was asked under: recorded with its approval, or its own name, or the Claude Code CLI's tool's.</summary>
    private static string ToolOf(ToolUsePart part) =>
        part.Approval?.Tool ?? (part.Name is { } name ? ClaudeCodeTasks.PlueTool(name) ?? name : "unknown");

    /// <summary>"would have asked", "allowed by …", "denied by …", "runs without asking (…)": what the CLI and clients print.</summary>
    public static string Words(ToolApproval approval) => approval switch
    {
        { Source: ApprovalOutcome.Sources.Tool, Decision: ApprovalRule.Allow } => $"runs without asking ({approval.Rule})",
        { Decision: ApprovalRule.Allow } => $"allowed by {approval.Rule}",
        { Decision: ApprovalRule.Deny } => $"denied by {approval.Rule}",
        { Source: ApprovalOutcome.Sources.User } => "would have asked",
        _ => $"would have asked ({approval.Rule} allows it, but the workspace is not trusted)",
    };

    private static ApprovalRule FileRule(ApprovalRuleInfo rule, int index)
    {
        if (string.IsNullOrWhiteSpace(rule.Tool)) throw RpcException.InvalidParams($"Rule {index + 1} names no tool: give \"tool\" (bash, write, edit, mcp__server, …).");
        if (rule.Decision is { } decision && decision is not (ApprovalRule.Allow or ApprovalRule.Deny))
            throw RpcException.InvalidParams($"Rule {index + 1} ({rule.Tool}) decides '{decision}': a rule decides allow or deny; a call no rule speaks of is asked.");
        if (PathGlob.Problem(rule.PathGlob) is { } glob) throw RpcException.InvalidParams($"Rule {index + 1} ({rule.Tool}): its path glob {glob}.");
        if (!string.IsNullOrWhiteSpace(rule.Host) && ApprovalRule.HostProblem(rule.Host.Trim()) is { } host) throw RpcException.InvalidParams($"Rule {index + 1} ({rule.Tool}): {host}.");
        return new ApprovalRule
        {
            Source = ApprovalRule.FromFile,
            Host = string.IsNullOrWhiteSpace(rule.Host) ? null : rule.Host.Trim(),
            Tool = rule.Tool.Trim(),
            CommandPrefix = string.IsNullOrWhiteSpace(rule.CommandPrefix) ? null : rule.CommandPrefix.Trim(),
            PathGlob = string.IsNullOrWhiteSpace(rule.PathGlob) ? null : rule.PathGlob.Trim(),
            Decision = rule.Decision ?? ApprovalRule.Allow,
        };
    }

    /// <summary>The call in a few words: a command, a path, else its input cut short.</summary>
    internal static string Summary(string tool, JsonNode? input)
    {
        var text = input is JsonObject fields
            ? (fields["command"] ?? fields["path"] ?? fields["file_path"] ?? fields["pattern"]) is JsonValue value && value.TryGetValue<string>(out var named) ? named : fields.ToJsonString()
            : "";
        text = text.ReplaceLineEndings(" ");
        return text.Length > 80 ? $"{tool} {text[..79]}…" : $"{tool} {text}".TrimEnd();
    }
}
