using System.Globalization;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// The spend caps that hold a task: its own <c>spend_cap_usd</c> and every ancestor's, each compared with what that
/// capped task's whole subtree spent (<see cref="TaskViews.CapSpent"/>). So a parent's cap stops its running children
/// too (within the call each one has in flight), not only the parent's own model calls. A call with no known price
/// counts its tokens at the capped task's price for them: a cap is never silently off. Calls in flight count too, as
/// they stream (<see cref="Begin"/>): parallel sub-tasks share what is left of a cap rather than each having all of it,
/// so a tree stops within one streamed piece of its cap, not one call per sub-task past it.
/// </summary>
public sealed class SpendCaps(TaskRecords records, TaskViews views)
{
    private readonly Lock _gate = new();
    /// <summary>The model calls streaming now, each with the tasks it counts for (its own and its ancestors) and what it has counted so far.</summary>
    private readonly List<InFlight> _inFlight = [];
    /// <summary>By task: what calls in its subtree have counted while streaming in this process (never less), so a call sees what others spent since it began.</summary>
    private readonly Dictionary<string, decimal> _streamed = new(StringComparer.Ordinal);

    private sealed class InFlight(IReadOnlyList<string> countsFor)
    {
        public IReadOnlyList<string> CountsFor { get; } = countsFor;
        public decimal Counted { get; set; }
    }

    /// <summary>A model call under way: its limit (the room shared with the calls beside it), released when disposed, after its answer is stored.</summary>
    public sealed class Call : IDisposable
    {
        private readonly SpendCaps _caps;
        private readonly InFlight? _call;

        internal Call(SpendCaps caps, object? call, Transcripts.SpendLimit? limit) => (_caps, _call, Limit) = (caps, call as InFlight, limit);

        public Transcripts.SpendLimit? Limit { get; }

        public void Dispose()
        {
            if (_call is null) return;
            lock (_caps._gate) _caps._inFlight.Remove(_call);
        }
    }

    /// <summary>
    /// Starts counting one model call of <paramref name="task"/>: its limit's room is, for each cap that holds it, the cap
    /// less its subtree's stored spend, less what the calls in flight there had counted, less what any call in that
    /// subtree (this one included, and sub-tasks started later) counts from now on. Dispose it once the answer is stored.
    /// </summary>
    public Call Begin(CodexRecord task)
    {
        var chain = records.Ancestors(task).Prepend(task).ToList();
        var holders = new List<(string Id, decimal Base, decimal StreamedAtStart, decimal UnpricedPrice)>();
        foreach (var holder in chain)
        {
            if (TaskRecordFields.Of(holder.Fields).SpendCapUsd is not { } cap) continue;
            decimal inFlight, streamed;
            // In flight before stored: a call that ends between the two reads is counted twice (a cap errs on the safe side), never missed.
            lock (_gate)
            {
                inFlight = InFlightUnder(holder.Id);
                streamed = _streamed.GetValueOrDefault(holder.Id);
            }
            holders.Add((holder.Id, cap - views.CapSpent(holder).Usd - inFlight, streamed, views.UnpricedPrice(holder)));
        }
        if (holders.Count == 0) return new Call(this, null, null);
        var call = new InFlight([.. chain.Select(t => t.Id)]);
        lock (_gate) _inFlight.Add(call);
        var tightest = holders.MinBy(h => h.Base);
        var limit = new Transcripts.SpendLimit(tightest.Base, tightest.UnpricedPrice)
        {
            Room = counted =>
            {
                lock (_gate)
                {
                    var grown = counted - call.Counted;
                    if (grown > 0)
                    {
                        call.Counted = counted;
                        foreach (var id in call.CountsFor) _streamed[id] = _streamed.GetValueOrDefault(id) + grown;
                    }
                    return holders.Min(h => h.Base - (_streamed.GetValueOrDefault(h.Id) - h.StreamedAtStart));
                }
            },
        };
        return new Call(this, call, limit);
    }

    /// <summary>What the calls streaming now in the subtree of <paramref name="taskId"/> have counted (under the gate).</summary>
    private decimal InFlightUnder(string taskId) => _inFlight.Where(c => c.CountsFor.Contains(taskId)).Sum(c => c.Counted);

    /// <summary>A cap that is reached: whose it is, what its subtree spent (its unpriced tokens in it), and the cap.</summary>
    public sealed record Reached(CodexRecord Holder, decimal Spent, decimal Cap, long UnpricedTokens, decimal UnpricedUsdPerMillion);

    /// <summary>What counts against <paramref name="holder"/>'s cap now: its subtree's spending (<see cref="TaskViews.CapSpent"/>).</summary>
    public decimal Spent(CodexRecord holder) => views.CapSpent(holder).Usd;

    /// <summary>The first reached cap among the task's own and its ancestors' (nearest first); null when none is.</summary>
    public Reached? Find(CodexRecord task) => Own(task) ?? Above(task);

    /// <summary>The task's own cap, when its subtree has reached it.</summary>
    public Reached? Own(CodexRecord task)
    {
        if (TaskRecordFields.Of(task.Fields).SpendCapUsd is not { } cap) return null;
        decimal inFlight;
        lock (_gate) inFlight = InFlightUnder(task.Id);
        var spent = views.CapSpent(task);
        // The calls streaming in its subtree count: a sub-task does not start a call that its siblings' have left no room for.
        var usd = spent.Usd + inFlight;
        return usd >= cap ? new Reached(task, usd, cap, spent.UnpricedTokens, spent.UnpricedUsdPerMillion) : null;
    }

    /// <summary>The nearest ancestor whose cap its subtree has reached.</summary>
    public Reached? Above(CodexRecord task)
    {
        foreach (var ancestor in records.Ancestors(task))
            if (Own(ancestor) is { } reached) return reached;
        return null;
    }

    /// <summary>How unpriced calls were counted in <paramref name="reached"/>, as a clause for its reason; empty when none were.</summary>
    public static string Unpriced(Reached reached) => reached.UnpricedTokens == 0 ? "" :
        $", {reached.UnpricedTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens of models with no known price counted at ${reached.UnpricedUsdPerMillion.ToString("0.00##", CultureInfo.InvariantCulture)} per million";
}
