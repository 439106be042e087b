using System.Text.Json;
using Plue.Protocol;
using Spectre.Console;

namespace Plue.Cli;

/// <summary>A task and its sub-tasks as lines: status, title, model, cost (with sub-tasks), elapsed, indented by depth.</summary>
internal static class CliTaskTree
{
    public static IReadOnlyList<string> Lines(AgentTask root, IReadOnlyCollection<AgentTask> all, bool colours)
    {
        var lines = new List<string>();
        var width = Console.IsOutputRedirected ? 200 : Math.Max(40, Console.WindowWidth - 1);
        void Add(AgentTask task, int depth)
        {
            var text = $"{new string(' ', depth * 2)}{Symbol(task.Status)} {task.Title} · {Status(task)} · {task.ModelId} · {Protocol.CostText.Task(task)} · {CliFormat.Elapsed(Elapsed(task))}";
            if (text.Length > width) text = text[..(width - 1)] + "…";
            lines.Add(colours ? $"[{Colour(task.Status)}]{Markup.Escape(text)}[/]" : Markup.Escape(text));
            foreach (var child in all.Where(t => t.ParentId == task.Id).OrderBy(t => t.CreatedAt)) Add(child, depth + 1);
        }
        Add(root, 0);
        return lines;
    }

    public static string Status(AgentTask task) => task.Status switch
    {
        AgentTaskStatus.WaitingApproval => $"waiting for approval of {task.PendingApproval?.Tool}",
        var s => Name(s) + (task.StatusReason is { Length: > 0 } reason && s is not AgentTaskStatus.Running ? $": {reason}" : ""),
    };

    /// <summary>
    /// The status's name as the user reads it: the wire's (waiting-approval, written once in the contract's enum), but
    /// for <c>cancelled</c>, which the window and the Interrupt command call "interrupted" (a task stopped at its cap included).
    /// </summary>
    public static string Name(AgentTaskStatus status) =>
        status == AgentTaskStatus.Cancelled ? "interrupted" : JsonSerializer.Serialize(status, PlueJsonContext.Default.AgentTaskStatus).Trim('"');

    /// <summary>A running task's elapsed time grows between updates; an ended one's is what it recorded.</summary>
    public static long Elapsed(AgentTask task) =>
        task.Status is AgentTaskStatus.Running or AgentTaskStatus.WaitingApproval && task.StartedAt is { } started && task.FinishedAt is null
            ? Math.Max(task.ElapsedMs, (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds)
            : task.ElapsedMs;

    public static bool Ended(AgentTaskStatus status) =>
        status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled or AgentTaskStatus.Paused;

    private static string Symbol(AgentTaskStatus status) => status switch
    {
        AgentTaskStatus.Queued => "○",
        AgentTaskStatus.Running => "◐",
        AgentTaskStatus.WaitingApproval => "?",
        AgentTaskStatus.Paused => "‖",
        AgentTaskStatus.Completed => "✓",
        AgentTaskStatus.Failed => "✗",
        _ => "■",
    };

    private static string Colour(AgentTaskStatus status) => status switch
    {
        AgentTaskStatus.Completed => "green",
        AgentTaskStatus.Failed => "red",
        AgentTaskStatus.WaitingApproval or AgentTaskStatus.Paused => "yellow",
        AgentTaskStatus.Running => "blue",
        _ => "grey",
    };
}
