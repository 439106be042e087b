using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// A task as clients see it (<see cref="AgentTask"/>): its record, its live state in this process, and what it and
/// its subtree spent. A cost is null as soon as one call in the subtree has no known price: never a made-up 0.
/// </summary>
public sealed class TaskViews(TaskRecords records, MessageStore messages, LiveTasks live)
{
    public AgentTask View(string id) => View(records.Get(id));

    public IReadOnlyList<AgentTask> List(string? parentId) => [.. records.List(spawnedBy: parentId).Select(View)];

    public AgentTask View(CodexRecord task)
    {
        var fields = task.Fields;
        var (usage, cost, _, _) = messages.Totals(task.Id);
        var children = records.Children(task.Id);
        var (totalUsage, totalCost) = Subtree(task.Id, usage, cost, children);
        var run = live.Find(task.Id);
        var status = task.Status ?? TaskStatuses.Queued;
        if (run?.Status == TaskStatuses.WaitingApproval && TaskStatuses.IsLive(status)) status = TaskStatuses.WaitingApproval;
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
            Usage = usage,
            CostUsd = cost,
            TotalUsage = totalUsage,
            TotalCostUsd = totalCost,
            SpendCapUsd = TaskFields.Number(fields, TaskFields.SpendCapUsd),
            Turns = messages.Count(task.Id, MessageRole.Assistant),
            MaxTurns = TaskFields.Int(fields, TaskFields.MaxTurns) ?? 0,
            ChildCount = children.Count,
            PendingApproval = status == TaskStatuses.WaitingApproval ? run?.Pending : null,
            Result = TaskFields.Text(fields, TaskFields.Result),
            CreatedAt = task.CreatedAt,
            StartedAt = TaskFields.Time(fields, TaskFields.StartedAt),
            FinishedAt = TaskFields.Time(fields, TaskFields.FinishedAt),
            ElapsedMs = elapsed,
        };
    }

    /// <summary>Usage and cost of the task and everything below it.</summary>
    public (TokenUsage Usage, decimal? Cost) Totals(string id)
    {
        var (usage, cost, _, _) = messages.Totals(id);
        return Subtree(id, usage, cost, records.Children(id));
    }

    private (TokenUsage Usage, decimal? Cost) Subtree(string id, TokenUsage usage, decimal? cost, IReadOnlyList<CodexRecord> children)
    {
        foreach (var child in children)
        {
            if (child.Id == id) continue;
            var (childUsage, childCost) = Totals(child.Id);
            usage = usage.Add(childUsage);
            cost = cost is null || childCost is null ? null : cost + childCost;
        }
        return (usage, cost);
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
