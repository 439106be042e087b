using Plue.Catalog;
using Plue.Checkpoints;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// A task as clients see it (<see cref="AgentTask"/>): its record, its live state in this process, and what it and
/// its subtree spent. A call with no known price makes a cost a lower bound ("at least"), never a made-up 0.
/// </summary>
public sealed class TaskViews(TaskRecords records, MessageStore messages, LiveTasks live, InstanceService instances, CatalogStore catalog, TaskWorktrees worktrees)
{
    public AgentTask View(string id) => View(records.Get(id));

    public IReadOnlyList<AgentTask> List(string? parentId) => [.. records.List(spawnedBy: parentId).Select(View)];

    public AgentTask View(CodexRecord task)
    {
        var fields = task.Fields;
        var own = messages.Totals(task.Id).Spent;
        var children = records.Children(task.Id);
        var total = Subtree(task.Id, own, children);
        var cap = TaskFields.Number(fields, TaskFields.SpendCapUsd);
        var run = live.Find(task.Id);
        var status = task.Status ?? TaskStatuses.Queued;
        if (run?.Status == TaskStatuses.WaitingApproval && TaskStatuses.IsLive(status)) status = TaskStatuses.WaitingApproval;
        var worktree = worktrees.Find(task.Id);
        var elapsed = (long)(TaskFields.Number(fields, TaskFields.ElapsedMs) ?? 0) + (run?.Clock.ElapsedMilliseconds ?? 0);
        return new AgentTask
        {
            Id = task.Id,
            Slug = task.Slug,
            Ref = task.Ref,
            Version = task.Version,
            TemplateId = task.TemplateId,
            Title = task.Title,
            Goal = TaskFields.Text(fields, TaskFields.Goal) ?? "",
            ParentId = task.SpawnedBy,
            Depth = records.Ancestors(task).Count,
            Status = TaskStatuses.ToWire(status),
            StatusReason = TaskFields.Text(fields, TaskFields.StatusReason),
            InstanceId = InstanceId(task),
            ModelId = TaskFields.Text(fields, TaskFields.ModelId) ?? "",
            AvailableTools = TaskFields.List(fields, TaskFields.AvailableTools),
            Usage = own.Usage, CostUsd = own.Usd, CostSources = own.Sources,
            TotalUsage = total.Usage, TotalCostUsd = total.Usd, TotalCostSources = total.Sources,
            SpendCapUsd = cap,
            SpendCapWarning = cap is null ? null : CapWarning(task, total),
            ContextWarning = TaskFields.Text(fields, TaskFields.ContextWarning),
            Turns = messages.Count(task.Id, MessageRole.Assistant),
            MaxTurns = TaskFields.Int(fields, TaskFields.MaxTurns) ?? 0,
            ChildCount = children.Count,
            PendingApproval = status == TaskStatuses.WaitingApproval ? run?.Pending : null,
            Result = TaskFields.Text(fields, TaskFields.Result),
            Worktree = worktree?.Folder,
            Changes = worktree is null ? null : TaskWorktrees.Pending(worktree),
            CreatedAt = task.CreatedAt,
            StartedAt = TaskFields.Time(fields, TaskFields.StartedAt),
            FinishedAt = TaskFields.Time(fields, TaskFields.FinishedAt),
            ElapsedMs = elapsed,
        };
    }

    /// <summary>Usage and cost of the task and everything below it; its <see cref="CostTotal.Usd"/> is what a spend cap holds.</summary>
    public CostTotal Totals(string id) => Subtree(id, messages.Totals(id).Spent, records.Children(id));

    private CostTotal Subtree(string id, CostTotal total, IReadOnlyList<CodexRecord> children)
    {
        foreach (var child in children)
            if (child.Id != id) total = total.Add(Totals(child.Id));
        return total;
    }

    /// <summary>Why a spend cap cannot hold, in words for the user: spending it cannot count. Null when it can.</summary>
    private string? CapWarning(CodexRecord task, CostTotal total)
    {
        if (total.IsLowerBound)
            return "Some model calls in this task's tree have no known price, so they are not counted against its spend cap: " +
                "it holds only what is priced. Add prices for those models in the catalog, or run them on priced models.";
        var modelId = TaskFields.Text(task.Fields, TaskFields.ModelId) ?? "";
        try
        {
            var instance = instances.Get(records.InstanceId(task));
            return TurnCost.Expected(catalog, instance, modelId) != CostSource.Unknown ? null
                : $"The spend cap cannot hold: {instance.DisplayName} has no price for {modelId} in the catalog, so its calls cost an unknown amount " +
                  "that is not counted. Add the model's prices to a user catalog, or choose a priced model.";
        }
        catch (RpcException)
        {
            return null; // the instance was removed: the task says so when it runs
        }
    }

    private string InstanceId(CodexRecord task)
    {
        try
        {
            return records.InstanceId(task);
        }
        catch (RpcException)
        {
            // The instance was removed: the task still shows, and says so when it runs.
            return TaskFields.Text(task.Fields, TaskFields.ProviderRef) ?? "";
        }
    }
}
