using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// The user's hold on tasks: start (the run goes on in the background, not tied to the request), interrupt (the task
/// and its whole subtree), steer (a message for its next turn) and resume (a paused, failed or cancelled task goes on
/// from its transcript; a paused one may get a higher spend cap).
/// </summary>
public sealed partial class TaskControl(
    TaskRecords records, TaskCreation creation, TaskViews views, TaskKind tasks, TaskEvents events, LiveTasks live, TaskRunner runner,
    SpendCaps caps, SpendCapQuestion spendCap, TranscriptTurns turns, TaskQueue queue, ILogger<TaskControl> logger)
{
    /// <summary>How long <c>task/interrupt</c> waits for the runs it stopped to record it.</summary>
    public static readonly TimeSpan InterruptWait = TimeSpan.FromSeconds(30);

    public const string StoppedAtCap = "Stopped at its spend cap";

    public async Task<AgentTask> StartAsync(TaskStartParams request, CancellationToken cancellationToken)
    {
        var parent = request.ParentId is { } parentId ? records.Get(parentId) : null;
        var task = await creation.CreateAsync(new TaskCreation.Request
        {
            TemplateId = request.TemplateId,
            Title = request.Title,
            Goal = request.Prompt,
            Attachments = request.Attachments ?? [],
            ProviderRef = request.ProviderRef,
            ModelId = request.ModelId,
            Parent = parent,
            Fields = request.Fields,
            AllowUnlisted = request.AllowUnlisted == true,
        }, cancellationToken).ConfigureAwait(false);
        var queued = tasks.Task(task);
        Launch(task.Id, resumed: false);
        return queued;
    }

    public async Task<AgentTask> InterruptAsync(string id)
    {
        var task = records.Get(id);
        var stopped = new List<Task>();
        foreach (var member in views.SubtreeIds(task.Id))
        {
            if (live.Find(member) is { } run)
            {
                run.Cancel();
                stopped.Add(run.Finished);
            }
            else if (records.Find(member)?.Status == TaskStatuses.Paused)
            {
                records.Update(member, TaskStatuses.Cancelled, new JsonObject { [TaskFields.StatusReason] = TaskEnd.Interrupted });
                await events.ChangedAsync(member).ConfigureAwait(false);
            }
        }
        try
        {
            await Task.WhenAll(stopped).WaitAsync(InterruptWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogSlowInterrupt(id, InterruptWait.TotalSeconds);
        }
        return tasks.Task(id);
    }

    /// <summary>
    /// Stores the message in the transcript at once, so nothing is lost when the run ends before its next turn (the
    /// resumed run reads it), then tells the run a message waits, so a run about to complete reads it first.
    /// </summary>
    public async Task<AgentTask> SteerAsync(string id, string text)
    {
        var run = Running(id, text, "steer it");
        await turns.AddUserAsync(id, [new TextPart { Id = TranscriptIds.New(), Text = text }]).ConfigureAwait(false);
        run.TrySteer();
        return tasks.Task(id);
    }

    /// <summary>
    /// Queues a message to a running task: shown in its queue (editable, removable) until the model's turn ends, then
    /// sent; the run does not complete before reading it. Kept in the store, so a restart loses none (the resumed run sends it).
    /// </summary>
    /// <param name="turn">The request's place among those written before it: messages join the queue in the order written.</param>
    public async Task<QueuedMessage> EnqueueAsync(string id, string text, ArrivalTurn? turn = null, CancellationToken cancellationToken = default)
    {
        var run = Running(id, text, "send it messages");
        if (turn is not null) await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        var adding = queue.AddAsync(id, text.Trim()); // its row is written before this returns
        turn?.Pass();
        var queued = await adding.ConfigureAwait(false);
        run.TrySteer();
        return queued;
    }

    /// <summary>The live run a message goes to; refused for empty text or a task that is not running (<paramref name="what"/> says what to do while it runs).</summary>
    private TaskRun Running(string id, string text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) throw RpcException.InvalidParams("text: say what the task should know");
        var task = records.Get(id);
        return live.Find(id) is { Steerable: true } run
            ? run
            : throw RpcException.InvalidParams($"Task '{task.Title}' is not running (it is {task.Status}); resume it, and {what} while it runs");
    }

    /// <summary>Sends a queued message now (steer): into the transcript at once, ahead of the rest of the queue, read before the model's next call.</summary>
    public async Task<AgentTask> SteerQueuedAsync(string messageId)
    {
        var id = await queue.SteerAsync(messageId).ConfigureAwait(false);
        live.Find(id)?.TrySteer();
        return tasks.Task(id);
    }

    public AgentTask Resume(string id, decimal? spendCapUsd)
    {
        var task = records.Get(id);
        if (live.IsLive(id)) throw RpcException.InvalidParams($"Task '{task.Title}' is running already");
        if (!TaskStatuses.CanResume(task.Status))
            throw RpcException.InvalidParams($"Task '{task.Title}' is {task.Status}; only a paused, failed or cancelled task can be resumed");
        var spent = (decimal?)views.CapSpent(task).Usd;
        var cap = spendCapUsd ?? TaskRecordFields.Of(task.Fields).SpendCapUsd;
        if (spendCapUsd is { } raised && (raised <= 0 || raised <= spent))
            throw RpcException.InvalidParams($"spendCapUsd: must be more than the ${Money(spent ?? 0)} the task has spent");
        if (cap is { } limit && spent >= limit)
            throw RpcException.InvalidParams($"Task '{task.Title}' has spent ${Money(spent.Value)} of its ${Money(limit)} cap; resume it with a higher spendCapUsd");
        if (caps.Above(task) is { } above)
            throw RpcException.InvalidParams($"Task '{above.Holder.Title}', above this one, has spent ${Money(above.Spent)} of its ${Money(above.Cap)} cap; " +
                "resume that task with a higher spendCapUsd, and its paused sub-tasks resume with it");

        var fields = new JsonObject { [TaskFields.StatusReason] = null, [TaskFields.RunOwner] = Transcripts.TranscriptOwner.Current };
        if (spendCapUsd is { } newCap) fields[TaskFields.SpendCapUsd] = newCap;
        records.Update(id, TaskStatuses.Queued, fields);
        Launch(id, resumed: true);
        return tasks.Task(id);
    }

    /// <summary>Runs the task in the background. Under a running parent it is part of that subtree: interrupting the parent stops it.</summary>
    private void Launch(string id, bool resumed)
    {
        var parentToken = records.Get(id).SpawnedBy is { } parentId && live.Find(parentId) is { } parentRun ? parentRun.Token : CancellationToken.None;
        var run = live.TryBegin(id, parentToken, records.Children(id).Count)
            ?? throw RpcException.InvalidParams("The task is running already");
        _ = Task.Run(async () =>
        {
            var final = await runner.RunAsync(run, resumed).ConfigureAwait(false);
            if (final?.Status == TaskStatuses.Paused) await AskToRaiseCapAsync(id).ConfigureAwait(false);
        }, CancellationToken.None);
    }

    /// <summary>
    /// A task paused at its own cap asks the user to raise it or stop (one paused at an ancestor's cap does not: that
    /// ancestor's question is the one); an answer that comes after the user acted otherwise is ignored.
    /// </summary>
    private async Task AskToRaiseCapAsync(string id)
    {
        if (records.Find(id) is not { } record || caps.Own(record) is not { } reached) return;
        var answer = await spendCap.AskAsync(tasks.Task(record), reached.Spent, reached.Cap).ConfigureAwait(false);
        if (answer is null || records.Find(id)?.Status != TaskStatuses.Paused || live.IsLive(id)) return;
        try
        {
            if (answer.Stop)
            {
                records.Update(id, TaskStatuses.Cancelled, new JsonObject { [TaskFields.StatusReason] = StoppedAtCap });
                await events.ChangedAsync(id).ConfigureAwait(false);
            }
            else Resume(id, answer.RaiseTo);
        }
        catch (RpcException e)
        {
            LogCapAnswerLate(id, e.Message); // resumed or deleted meanwhile
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: the answer about its spend cap came too late ({Reason})")]
    private partial void LogCapAnswerLate(string taskId, string reason);

    private static string Money(decimal usd) => usd.ToString("0.00##", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupting task {TaskId}: some runs had not stopped after {Seconds} s; they stop on their own")]
    private partial void LogSlowInterrupt(string taskId, double seconds);
}
