using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// What a task and its subtree spent, for its view (<see cref="TaskKind.Task(CodexRecord)"/>) and its spend cap. A call
/// with no known price makes a cost a lower bound ("at least"), never a made-up 0.
/// </summary>
public sealed class TaskViews(TaskRecords records, MessageStore messages, Func<TemplateRegistry> templates)
{
    /// <summary>Usage and cost of the task and everything below it; its <see cref="CostTotal.Usd"/> is what a spend cap holds.</summary>
    public CostTotal Totals(string id) => Subtree(id, messages.Totals(id).Spent, records.Children(id));

    internal CostTotal Subtree(string id, CostTotal total, IReadOnlyList<CodexRecord> children)
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

    /// <summary>
    /// The task's price for tokens of an unpriced model: its own, else its template's default (a task made before the
    /// field), read from the template in force, else the shipped task template.
    /// </summary>
    internal decimal UnpricedPrice(CodexRecord task) =>
        TaskRecordFields.Of(task.Fields).UnpricedUsdPerMillion is { } price and > 0 ? price
            : templates().Current.DefaultNumber(task.TemplateId, TaskFields.BaseTemplate, TaskFields.UnpricedUsdPerMillion);

    /// <summary>The task and every task below it, parents first.</summary>
    public List<string> SubtreeIds(string id)
    {
        var ids = new List<string> { id };
        for (var i = 0; i < ids.Count; i++) ids.AddRange(records.Children(ids[i]).Select(c => c.Id).Where(c => !ids.Contains(c)));
        return ids;
    }
}
