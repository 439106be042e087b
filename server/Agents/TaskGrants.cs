using System.Text.Json.Nodes;
using Plue.Agents.Tools;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// What a task may do, decided by the sidecar from its record and template, never by the model: its
/// <c>available_tools</c> within its template's locked list (checked again at every start, since templates change),
/// and the tools it may use without asking.
/// </summary>
public sealed class TaskGrants(TaskRecords records, Sandbox.SandboxPolicies sandboxes, Customizations.CustomizationRegistry? customizations = null)
{
    /// <summary>How many sub-tasks run at once when the template has no <c>concurrency</c> field.</summary>
    public const int DefaultConcurrency = 3;

    public const string NoSpawnOnClaudeCode = "Claude Code runs its own tool loop, which cannot start sidecar sub-tasks";

    public ToolGrant For(CodexRecord task, bool claudeCode, Action<bool, Protocol.PendingApproval?> onWaitingApproval)
    {
        var allowed = Tools(task, claudeCode);
        var fields = TaskRecordFields.Of(task.Fields);
        return new ToolGrant
        {
            TaskId = task.Id,
            Allowed = allowed,
            AutoApprove = AutoApprove(task).Where(allowed.Contains).ToHashSet(StringComparer.Ordinal),
            BashTimeoutMs = fields.BashTimeoutMs ?? 120_000,
            OnWaitingApproval = onWaitingApproval,
            Sandbox = Sandbox(task),
        };
    }

    /// <summary>
    /// The task's <c>auto_approve</c> narrowed by every ancestor's, read at each run: a sub-task runs unasked only what
    /// its whole tree does, whatever its own record says now (it was narrowed when made, but may have been edited since).
    /// </summary>
    public IReadOnlySet<string> AutoApprove(CodexRecord task)
    {
        var approved = TaskRecordFields.Of(task.Fields).AutoApprove.ToHashSet(StringComparer.Ordinal);
        foreach (var ancestor in records.Ancestors(task)) approved.IntersectWith(TaskRecordFields.Of(ancestor.Fields).AutoApprove);
        return approved;
    }

    /// <summary>
    /// The task's sandbox policy (its <c>sandbox_policy</c>, else the workspace's) narrowed by every ancestor's: a
    /// sub-task may tighten what its tree runs under, never widen it.
    /// </summary>
    public Sandbox.SandboxPolicy Sandbox(CodexRecord task)
    {
        var chain = records.Ancestors(task).Reverse().Append(task);
        Sandbox.SandboxPolicy? policy = null;
        foreach (var level in chain)
        {
            var own = sandboxes.Resolve(level.Fields[Plue.Sandbox.SandboxPolicies.Field] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var id) ? id : null);
            policy = policy is null ? own : Plue.Sandbox.SandboxPolicy.Narrow(policy, own);
        }
        return policy!;
    }

    public TaskGrantInfo Describe(CodexRecord task, ToolGrant grant, bool claudeCode)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        return new(
            [.. fields.AvailableTools.Concat(fields.McpTools).Where(grant.Allowed.Contains)],
            grant.AutoApprove,
            fields.Concurrency ?? DefaultConcurrency,
            claudeCode && fields.AvailableTools.Contains(SpawnTaskTool.ToolName) ? $"spawn_task: {NoSpawnOnClaudeCode}" : null);
    }

    private HashSet<string> Tools(CodexRecord task, bool claudeCode)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        var tools = fields.AvailableTools.ToHashSet(StringComparer.Ordinal);
        // The record was valid when written; the template may have been tightened since.
        if (records.TaskTemplate(task.TemplateId)?.Field(TaskFields.AvailableTools) is { Locked: true, Default: JsonArray locked })
            tools.IntersectWith(locked.OfType<JsonValue>().Select(t => t.GetValue<string>()));
        // The claude CLI runs its own tools: it cannot call the sidecar's spawn_task (it starts the MCP servers itself).
        if (claudeCode)
        {
            tools.Remove(SpawnTaskTool.ToolName);
            tools.Remove(MergeChangesTool.ToolName);
        }
        tools.UnionWith(fields.McpTools);
        // The skill tool comes with read where the sidecar runs the tools, as in a chat (docs/CUSTOMIZATIONS.md, Skills).
        if (!claudeCode && tools.Contains("read") && customizations?.Skills.Count > 0) tools.Add(SkillTool.ToolName);
        return tools;
    }
}

/// <summary>
/// <see cref="TaskGrants.Sandbox"/> by a task's id, for the git on its worktree; read late, since the grants read the
/// policies, which read the store that lists the task kind, which holds the worktrees.
/// </summary>
public sealed class TaskSandboxes(IServiceProvider services) : Sandbox.ITaskSandboxes
{
    public Sandbox.SandboxPolicy? For(string taskId) =>
        services.GetService(typeof(TaskRecords)) is TaskRecords records && records.Find(taskId) is { } task
        && services.GetService(typeof(TaskGrants)) is TaskGrants grants ? grants.Sandbox(task) : null;
}
