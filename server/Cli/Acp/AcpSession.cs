using System.Collections.Concurrent;
using Plue.Acp;

namespace Plue.Cli.Acp;

/// <summary>What <c>plue acp</c> keeps of one session: the tool calls it told and their last status, whether the client cancelled.</summary>
internal sealed class AcpSession(string id)
{
    public string Id { get; } = id;

    private long _order;

    /// <summary>Tool call id → the tool, the status last told, and when it was first told.</summary>
    public ConcurrentDictionary<string, (string Tool, string Status, long Order)> ToolCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Records a call's status; true when it differs from the one last told (or the call is new).</summary>
    public bool Tell(string toolCallId, string tool, string status)
    {
        var known = ToolCalls.TryGetValue(toolCallId, out var was);
        if (known && was.Status == status) return false;
        ToolCalls[toolCallId] = (tool, status, known ? was.Order : Interlocked.Increment(ref _order));
        return true;
    }

    /// <summary>Set by <c>session/cancel</c> while a prompt runs: that prompt answers <c>cancelled</c>.</summary>
    public volatile bool CancelRequested;

    /// <summary>The newest tool call of <paramref name="tool"/> not yet finished: what a permission question is about.</summary>
    public string? OpenCall(string tool) =>
        ToolCalls.Where(c => c.Value.Tool == tool && c.Value.Status is "pending" or "in_progress").OrderBy(c => c.Value.Order).LastOrDefault().Key;
}
