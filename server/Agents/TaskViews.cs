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
        var fields = TaskRecordFields.Of(task.Fields);
        var own = messages.Totals(task.Id).Spent;
        var children = records.Children(task.Id);
        var total = Subtree(task.Id, own, children);
        var cap = fields.SpendCapUsd;
        var run = live.Find(task.Id);
        var status = task.Status ?? TaskStatuses.Queued;
        if (run?.Status == TaskStatuses.WaitingApproval && TaskStatuses.IsLive(status)) status = TaskStatuses.WaitingApproval;
        var worktree = worktrees.Find(task.Id);
        var elapsed = (fields.ElapsedMs ?? 0) + (run?.Clock.ElapsedMilliseconds ?? 0);
        return new AgentTask
        {
            Id = task.Id,
            Slug = task.Slug,
            Ref = task.Ref,
            Version = task.Version,
            TemplateId = task.TemplateId,
            Title = task.Title,
            Goal = fields.Goal ?? "",
            ParentId = task.SpawnedBy,
            Depth = records.Ancestors(task).Count,
            Status = TaskStatuses.ToWire(status),
            StatusReason = fields.StatusReason,
            InstanceId = InstanceId(task),
            ModelId = fields.ModelId ?? "",
            AvailableTools = fields.AvailableTools,
            Usage = own.Usage, CostUsd = own.Usd, CostSources = own.Sources,
            TotalUsage = total.Usage, TotalCostUsd = total.Usd, TotalCostSources = total.Sources,
            SpendCapUsd = cap,
            SpendCapWarning = cap is null ? null : CapWarning(task, total),
            ContextWarning = fields.ContextWarning,
            Turns = messages.Count(task.Id, MessageRole.Assistant),
            MaxTurns = fields.MaxTurns ?? 0,
            ChildCount = children.Count,
            PendingApproval = status == TaskStatuses.WaitingApproval ? run?.Pending : null,
            Result = fields.Result,
            Worktree = worktree?.Folder,
            Changes = worktree is null ? null : TaskWorktrees.Pending(worktree),
            CreatedAt = task.CreatedAt,
            StartedAt = fields.StartedAt,
            FinishedAt = fields.FinishedAt,
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

    /// <summary>
    /// What counts against a task's spend cap: its tree's known cost, plus the tokens of its calls with no known price
    /// at the task's price for them (<c>unpriced_usd_per_million</c>), so a cap holds on any model.
    /// </summary>
    public CapSpend CapSpent(CodexRecord task)
    {
        var total = Totals(task.Id);
        if (!total.IsLowerBound) return new CapSpend(total.KnownUsd, 0, 0);
        var price = UnpricedPrice(task);
        var tokens = messages.UnpricedTokens(SubtreeIds(task.Id));
        return new CapSpend(total.KnownUsd + tokens * price / 1_000_000m, tokens, price);
    }

    /// <summary>A cap's spending: the amount compared with the cap, and the unpriced tokens in it at their price.</summary>
    public sealed record CapSpend(decimal Usd, long UnpricedTokens, decimal UnpricedUsdPerMillion);

    private static decimal UnpricedPrice(CodexRecord task) =>
        TaskRecordFields.Of(task.Fields).UnpricedUsdPerMillion is { } price and > 0 ? price : TaskFields.DefaultUnpricedUsdPerMillion;

    /// <summary>The task and every task below it, parents first.</summary>
    public List<string> SubtreeIds(string id)
    {
        var ids = new List<string> { id };
        for (var i = 0; i < ids.Count; i++) ids.AddRange(records.Children(ids[i]).Select(c => c.Id).Where(c => !ids.Contains(c)));
        return ids;
    }

    /// <summary>How a spend cap counts calls with no known price, in words for the user; null when every call is priced.</summary>
    private string? CapWarning(CodexRecord task, CostTotal total)
    {
        var price = UnpricedPrice(task).ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture);
        if (total.IsLowerBound)
            return $"Some model calls in this task's tree have no known price: their tokens count against its spend cap at ${price} per million " +
                "(Price of unpriced models). Set that to what the models cost, or add their prices to a user catalog.";
        var modelId = TaskRecordFields.Of(task.Fields).ModelId ?? "";
        try
        {
            var instance = instances.Get(records.InstanceId(task));
            return TurnCost.Expected(catalog, instance, modelId) != CostSource.Unknown ? null
                : $"{instance.DisplayName} has no price for {modelId} in the catalog: its tokens count against the spend cap at ${price} per million " +
                  "(Price of unpriced models). Set that to what the model costs, or add its prices to a user catalog.";
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
            return TaskRecordFields.Of(task.Fields).ProviderRef ?? "";
        }
    }
}
