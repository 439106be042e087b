using Plue.Protocol;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>The task methods: start, list, read, interrupt, steer and resume agent tasks; review, apply or discard the changes one made in its own worktree. Each answers once the dead runs are marked.</summary>
public sealed class TaskEndpoints(TaskControl control, TaskKind tasks, TaskRecords records, MessageStore messages, TaskChanges changes, TaskRecovery recovery, TaskQueue queue) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        // The run goes on in the background, not tied to this request.
        router.Add(Contract.TaskStart, (p, ct) => Recovered(() => control.StartAsync(p, ct)));
        router.Add(Contract.TaskList, p => Recovered(() => tasks.List(p.ParentId, p.Limit, p.After)));
        router.Add(Contract.TaskGet, p => Recovered(() => tasks.Task(p.Id)));
        router.Add(Contract.TaskMessages, p => TranscriptPages.Read(messages, p, id => records.Get(id).Id));
        router.Add(Contract.TaskInterrupt, (p, _) => Recovered(() => control.InterruptAsync(p.Id)));
        router.Add(Contract.TaskSteer, (p, _) => Recovered(() => control.SteerAsync(p.Id, p.Text)));
        router.Add(Contract.TaskEnqueue, (p, context, ct) => new ValueTask<QueuedMessage>(control.EnqueueAsync(p.Id, p.Text, context.Turn, ct)));
        router.Add(Contract.TaskQueue, p => queue.List(records.Get(p.Id).Id));
        router.Add(Contract.TaskSteerQueued, (p, _) => control.SteerQueuedAsync(p.Id));
        router.Add(Contract.TaskResume, p => Recovered(() => control.Resume(p.Id, p.SpendCapUsd)));
        router.Add(Contract.TaskChanges, (p, ct) => Recovered(() => changes.ReadAsync(p.Id, ct)));
        router.Add(Contract.TaskApplyChanges, (p, ct) => Recovered(() => changes.ApplyAsync(p.Id, ct)));
        router.Add(Contract.TaskDiscardChanges, (p, ct) => Recovered(() => changes.DiscardAsync(p.Id, ct)));
    }

    private T Recovered<T>(Func<T> answer)
    {
        recovery.EnsureRecovered();
        return answer();
    }
}
