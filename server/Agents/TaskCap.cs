using System.Globalization;
using Plue.Protocol;
using Plue.Turns;

namespace Plue.Agents;

/// <summary>
/// The spend caps that hold a task's turns (<see cref="SpendCaps"/>: its own <c>spend_cap_usd</c> and its ancestors'),
/// as the turn engine checks and counts them; a reached cap pauses the task with what was spent of what.
/// </summary>
/// <param name="task">The task as stored now (its cap may have been raised meanwhile).</param>
internal sealed class TaskCap(SpendCaps caps, Func<CodexRecord> task) : ITurnCap
{
    public string? Reached()
    {
        var current = task();
        if (caps.Find(current) is not { } reached) return null;
        if (reached.Holder.Id == current.Id)
            return $"Spend cap reached: ${Money(reached.Spent)} of ${Money(reached.Cap)} spent, sub-tasks included{SpendCaps.Unpriced(reached)}; resume it with a higher spendCapUsd to go on";
        return $"Paused: {reached.Holder.Title} reached its spend cap of ${Money(reached.Cap)} (${Money(reached.Spent)} spent with its sub-tasks{SpendCaps.Unpriced(reached)}); " +
            "it goes on when that task is resumed with a higher cap";
    }

    /// <summary>The call's room is shared with the calls of the tree's other tasks streaming meanwhile (<see cref="SpendCaps.Begin"/>).</summary>
    public TurnCapCall Begin()
    {
        var call = caps.Begin(task());
        return new TurnCapCall(call.Limit, call);
    }

    private static string Money(decimal usd) => usd.ToString("0.00##", CultureInfo.InvariantCulture);
}

/// <summary>A run that stops at its spend cap before it starts (a task in a container gets none while its tree is over its cap): it pauses with <see cref="Exception.Message"/>.</summary>
internal sealed class TaskCapReachedException(string reason) : Exception(reason);
