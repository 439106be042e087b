using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue task run|list|show|interrupt|resume</c>: agent tasks, the ones VS Code lists under Agent Tasks.</summary>
internal static class TaskCommand
{
    public static Command Create(CliGlobals globals) =>
        new("task", "Agent tasks (VS Code's Agent Tasks)") { TaskRunCommand.Create(globals), List(globals), Show(globals), Interrupt(globals), Resume(globals) };

    private static Command List(CliGlobals globals)
    {
        var list = new Command("list", "List tasks, newest first, sub-tasks under their parent: status, model, cost, elapsed");
        globals.SetAction(list, async run => run.Show(await run.Sidecar.CallAsync(Contract.TaskList, new TaskListParams()).ConfigureAwait(false), Contract.TaskList.ResultType, Table(run)));
        return list;
    }

    private static Action<IReadOnlyList<AgentTask>> Table(CliRun run) => tasks =>
    {
        var table = new CliTable("id", "task", "status", "model", "cost", "elapsed");
        foreach (var t in tasks.Where(t => t.ParentId is null).OrderByDescending(t => t.CreatedAt))
            foreach (var (task, depth) in WithChildren(t, tasks, 0))
                table.AddRow(task.Id, new string(' ', depth * 2) + task.Title, CliTaskTree.Name(task.Status), task.ModelId, Protocol.CostText.Task(task), CliFormat.Elapsed(CliTaskTree.Elapsed(task)));
        table.Write(run.Terminal);
    };

    private static IEnumerable<(AgentTask, int)> WithChildren(AgentTask task, IReadOnlyList<AgentTask> all, int depth) =>
        new[] { (task, depth) }.Concat(all.Where(c => c.ParentId == task.Id).SelectMany(c => WithChildren(c, all, depth + 1)));

    private static Argument<string> IdArgument() => new("task") { Description = "The task's id (as `plue task list` shows it)" };

    private static Command Show(CliGlobals globals)
    {
        var id = IdArgument();
        var command = new Command("show", "Print a task's state and its transcript") { id };
        globals.SetAction(command, async run =>
        {
            var task = await run.Sidecar.CallAsync(Contract.TaskGet, new IdParams { Id = run.Parse.GetValue(id)! }).ConfigureAwait(false);
            var page = await run.Sidecar.CallAsync(Contract.TaskMessages, new SessionMessagesParams { Id = task.Id, Limit = 1000 }).ConfigureAwait(false);
            if (run.Json)
            {
                CliJson.Write(run.Terminal.Out, ("task", CliJson.Value(task, PlueJsonContext.Default.AgentTask)),
                    ("messages", CliJson.Value(page.Messages, PlueJsonContext.Default.IReadOnlyListSessionMessage)));
                return 0;
            }
            run.Terminal.Out.WriteLine($"{task.Title} · {CliTaskTree.Status(task)} · {task.ModelId} · {Protocol.CostText.Task(task)} · {CliFormat.Elapsed(task.ElapsedMs)}");
            run.Terminal.Out.WriteLine($"Goal: {task.Goal}");
            run.Terminal.Out.WriteLine();
            var asSession = task.Onto(new Session
            {
                InstanceId = task.InstanceId, ModelId = task.ModelId,
                Status = SessionStatus.Idle, Usage = task.Usage, CostUsd = task.CostUsd, CostSources = task.CostSources, MessageCount = page.Messages.Count, CreatedAt = task.CreatedAt, UpdatedAt = task.CreatedAt,
            });
            run.Terminal.Out.Write(TranscriptMarkdown.Write(asSession, page.Messages));
            return 0;
        });
        return command;
    }

    private static Command Interrupt(CliGlobals globals)
    {
        var id = IdArgument();
        var command = new Command("interrupt", "Stop a task and its sub-tasks (run by this command line or by a VS Code window)") { id };
        globals.SetAction(command, async run =>
        {
            var task = await run.Sidecar.CallAsync(Contract.TaskInterrupt, new IdParams { Id = run.Parse.GetValue(id)! }).ConfigureAwait(false);
            return run.Show(task, Contract.TaskGet.ResultType, t => run.Terminal.Line($"{t.Title}: {CliTaskTree.Status(t)}"));
        });
        return command;
    }

    private static Command Resume(CliGlobals globals)
    {
        var id = IdArgument();
        var cap = CliSpendCap.Create("A new spend cap, above what the task has spent (for a task paused at its cap)");
        var watch = TaskRunCommand.WatchOption();
        var trust = TaskRunCommand.TrustOption();
        var command = new Command("resume", "Run a paused, failed or cancelled task again from its transcript, and follow it to its end") { id, cap, watch, trust };
        globals.SetAction(command, async run =>
        {
            var wait = new CliTaskWait(run, run.Parse.GetValue(watch));
            wait.Listen();
            var task = await run.Sidecar.CallAsync(Contract.TaskResume, new TaskResumeParams { Id = run.Parse.GetValue(id)!, SpendCapUsd = run.Parse.GetValue(cap) }).ConfigureAwait(false);
            return CliTaskWait.Report(run, await wait.UntilEndAsync(task).ConfigureAwait(false));
        }, parse => parse.GetValue(trust));
        return command;
    }
}
