using System.Collections.Concurrent;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// Follows a task this process runs until it ends: with <c>--watch</c> on a terminal, its live tree redrawn in place;
/// otherwise a line per change of its status. Approvals are asked meanwhile; Ctrl+C interrupts the task (its
/// sub-tasks too) and waits for it to stop. The task runs inside this process, so the command cannot end before it.
/// </summary>
internal sealed class CliTaskWait(CliRun run, bool watch)
{
    /// <summary>How long a paused task may take to ask to raise its cap before the command takes the pause as its end.</summary>
    private static readonly TimeSpan s_pauseGrace = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, AgentTask> _tasks = new();
    private readonly SemaphoreSlim _changed = new(0);
    private string? _rootId;
    private bool _drawLive;

    /// <summary>Hooks the events before the task starts, so no update is missed.</summary>
    public void Listen()
    {
        Screen = new CliScreen(run.Terminal);
        Approvals = new CliApprovals(run.Terminal, Screen);
        run.Sidecar.Events.Approve = (request, cancellationToken) =>
        {
            // The task's "waiting for approval" came just before the question: drawn now, or the question's pause
            // would keep the tree as it was before (a quick sidecar asks before the next redraw).
            DrawLive();
            return Approvals.AskAsync(request, cancellationToken);
        };
        run.Sidecar.Events.TaskUpdated = p =>
        {
            _tasks[p.Task.Id] = p.Task;
            _changed.Release();
        };
    }

    private CliScreen? Screen { get; set; }
    private CliApprovals? Approvals { get; set; }

    public async Task<AgentTask> UntilEndAsync(AgentTask started)
    {
        _tasks.TryAdd(started.Id, started);
        using var interrupt = run.Cancellation.Register(() => _ = run.Sidecar.CallAsync(Contract.TaskInterrupt, new IdParams { Id = started.Id }));
        var drawLive = _drawLive = watch && run.Terminal.Interactive && !run.Json;
        _rootId = started.Id;
        AgentTaskStatus? told = null;
        DateTimeOffset? pausedSince = null;
        while (true)
        {
            await _changed.WaitAsync(drawLive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            var root = _tasks[started.Id];
            if (drawLive) DrawLive();
            else if (!run.Json && root.Status != told)
            {
                run.Terminal.Error.WriteLine($"{root.Title}: {CliTaskTree.Status(root)}");
                told = root.Status;
            }
            if (!CliTaskTree.Ended(root.Status) || Approvals!.Pending > 0)
            {
                pausedSince = null;
                continue;
            }
            if (root.Status != AgentTaskStatus.Paused) return root;
            pausedSince ??= DateTimeOffset.UtcNow;
            if (DateTimeOffset.UtcNow - pausedSince > s_pauseGrace) return root;
        }
    }

    /// <summary>Redraws the live tree as last told, when the command draws one.</summary>
    private void DrawLive()
    {
        if (!_drawLive || _rootId is null || !_tasks.TryGetValue(_rootId, out var root)) return;
        Screen!.Draw(CliTaskTree.Lines(root, Subtree(root), run.Terminal.Colours));
    }

    private List<AgentTask> Subtree(AgentTask root)
    {
        var ids = new HashSet<string> { root.Id };
        var all = _tasks.Values.OrderBy(t => t.Depth).ToList();
        foreach (var t in all)
            if (t.ParentId is { } parent && ids.Contains(parent)) ids.Add(t.Id);
        return [.. all.Where(t => ids.Contains(t.Id))];
    }

    /// <summary>The end told: the result on stdout, a failure on stderr; 0 only for a completed task.</summary>
    public static int Report(CliRun run, AgentTask task)
    {
        if (run.Json)
        {
            CliJson.Write(run.Terminal.Out, task, Contract.TaskGet.ResultType);
            return task.Status == AgentTaskStatus.Completed ? 0 : CliError.Failed;
        }
        if (task.Status == AgentTaskStatus.Completed)
        {
            if (task.Result is { Length: > 0 } result) run.Terminal.Out.WriteLine(result);
            run.Terminal.Error.WriteLine($"{task.Title}: completed · {Protocol.CostText.Task(task)} · {CliFormat.Elapsed(task.ElapsedMs)}");
            return 0;
        }
        run.Terminal.Error.WriteLine($"plue: {task.Title} {CliTaskTree.Status(task)}");
        if (task.Status == AgentTaskStatus.Paused)
            run.Terminal.Error.WriteLine($"plue: resume it with `plue task resume {task.Id} --spend-cap <usd>`.");
        else if (task.Status == AgentTaskStatus.Failed)
            run.Terminal.Error.WriteLine($"plue: `plue task show {task.Id}` shows its transcript; `plue task resume {task.Id}` runs it again from there.");
        return CliError.Failed;
    }
}
