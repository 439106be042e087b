using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>A task's sub-tasks as its resumed run finds them: which stopped and go on, which its calls never heard back from.</summary>
public sealed class TaskTree(TaskRecords records, MessageStore messages)
{
    /// <summary>A sub-task that stopped and goes on when its parent is resumed: paused at a spend cap, or stopped with the sidecar.</summary>
    public static bool Stopped(CodexRecord child) =>
        child.Status == TaskStatuses.Paused ||
        (child.Status == TaskStatuses.Cancelled && TaskRecordFields.Of(child.Fields).StatusReason == TaskEnd.SidecarStopped);

    /// <summary>The task's sub-tasks no tool result in its transcript reports on (each report names its sub-task's ref), oldest first.</summary>
    public IReadOnlyList<CodexRecord> Unreported(CodexRecord task)
    {
        var reports = messages.Messages(task.Id).SelectMany(m => m.Parts.OfType<ToolResultPart>())
            .Where(p => p.Name == SpawnTaskTool.ToolName).Select(p => p.Output ?? "").ToList();
        return [.. records.Children(task.Id).Where(c => !reports.Any(r => r.Contains($"({c.Ref};", StringComparison.Ordinal) || r.Contains($"({c.Ref})", StringComparison.Ordinal)))];
    }

    /// <summary>What the resumed model reads of the sub-tasks that went on outside its calls: "" when none did.</summary>
    public static string Told(IEnumerable<string> outcomes)
    {
        var told = outcomes.ToList();
        return told.Count == 0 ? "" : "\n\nYour sub-tasks that had stopped (at a spend cap, or with the sidecar) went on from where they stopped, and ended:\n\n" + string.Join("\n\n", told);
    }
}
