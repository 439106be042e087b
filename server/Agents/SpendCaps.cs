using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// The spend caps that hold a task: its own <c>spend_cap_usd</c> and every ancestor's, each compared with the cost of
/// that capped task's whole subtree. So a parent's cap stops its running children too (within the call each one has
/// in flight), not only the parent's own model calls. A call with an unknown price adds nothing it can count: the cap holds the priced part, and the task says so
/// (<see cref="AgentTask.SpendCapWarning"/>).
/// </summary>
public sealed class SpendCaps(TaskRecords records, TaskViews views)
{
    /// <summary>A cap that is reached: whose it is, what its subtree spent, and the cap.</summary>
    public sealed record Reached(CodexRecord Holder, decimal Spent, decimal Cap);

    /// <summary>The first reached cap among the task's own and its ancestors' (nearest first); null when none is.</summary>
    public Reached? Find(CodexRecord task) => Own(task) ?? Above(task);

    /// <summary>The task's own cap, when its subtree has reached it.</summary>
    public Reached? Own(CodexRecord task)
    {
        if (TaskFields.Number(task.Fields, TaskFields.SpendCapUsd) is not { } cap) return null;
        return views.Totals(task.Id).Usd is { } spent && spent >= cap ? new Reached(task, spent, cap) : null;
    }

    /// <summary>The nearest ancestor whose cap its subtree has reached.</summary>
    public Reached? Above(CodexRecord task)
    {
        foreach (var ancestor in records.Ancestors(task))
            if (Own(ancestor) is { } reached) return reached;
        return null;
    }
}
