using System.Globalization;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// The spend caps that hold a task: its own <c>spend_cap_usd</c> and every ancestor's, each compared with what that
/// capped task's whole subtree spent (<see cref="TaskViews.CapSpent"/>). So a parent's cap stops its running children
/// too (within the call each one has in flight), not only the parent's own model calls. A call with no known price
/// counts its tokens at the capped task's price for them: a cap is never silently off.
/// </summary>
public sealed class SpendCaps(TaskRecords records, TaskViews views)
{
    /// <summary>A cap that is reached: whose it is, what its subtree spent (its unpriced tokens in it), and the cap.</summary>
    public sealed record Reached(CodexRecord Holder, decimal Spent, decimal Cap, long UnpricedTokens, decimal UnpricedUsdPerMillion);

    /// <summary>The first reached cap among the task's own and its ancestors' (nearest first); null when none is.</summary>
    public Reached? Find(CodexRecord task) => Own(task) ?? Above(task);

    /// <summary>The task's own cap, when its subtree has reached it.</summary>
    public Reached? Own(CodexRecord task)
    {
        if (TaskRecordFields.Of(task.Fields).SpendCapUsd is not { } cap) return null;
        var spent = views.CapSpent(task);
        return spent.Usd >= cap ? new Reached(task, spent.Usd, cap, spent.UnpricedTokens, spent.UnpricedUsdPerMillion) : null;
    }

    /// <summary>The nearest ancestor whose cap its subtree has reached.</summary>
    public Reached? Above(CodexRecord task)
    {
        foreach (var ancestor in records.Ancestors(task))
            if (Own(ancestor) is { } reached) return reached;
        return null;
    }

    /// <summary>
    /// What the task's next model call may spend before a cap that holds it is reached (the least room left among its own
    /// and its ancestors'), so a cap holds within a call too; null when no cap holds it.
    /// </summary>
    public Transcripts.SpendLimit? Limit(CodexRecord task)
    {
        Transcripts.SpendLimit? least = null;
        foreach (var holder in records.Ancestors(task).Prepend(task))
        {
            if (TaskRecordFields.Of(holder.Fields).SpendCapUsd is not { } cap) continue;
            var room = cap - views.CapSpent(holder).Usd;
            if (least is null || room < least.RemainingUsd) least = new Transcripts.SpendLimit(room, views.UnpricedPrice(holder));
        }
        return least;
    }

    /// <summary>How unpriced calls were counted in <paramref name="reached"/>, as a clause for its reason; empty when none were.</summary>
    public static string Unpriced(Reached reached) => reached.UnpricedTokens == 0 ? "" :
        $", {reached.UnpricedTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens of models with no known price counted at ${reached.UnpricedUsdPerMillion.ToString("0.00##", CultureInfo.InvariantCulture)} per million";
}
