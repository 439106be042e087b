using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Cli;

/// <summary>
/// What the in-process sidecar tells the command: streamed deltas, task changes, and the approval questions it asks.
/// A command sets the handlers it needs; a question nobody asks about is denied, so nothing runs unapproved.
/// </summary>
internal sealed class CliEvents
{
    public Action<PartDeltaParams>? PartDelta { get; set; }
    public Func<MessageUpdatedParams, ValueTask>? MessageUpdated { get; set; }
    public Action<TaskUpdatedParams>? TaskUpdated { get; set; }
    public Func<PermissionRequestParams, CancellationToken, Task<PermissionRequestResult>>? Approve { get; set; }

    public void Map(RequestRouter router)
    {
        router.Add(Contract.SessionPartDelta, (p, _) =>
        {
            PartDelta?.Invoke(p);
            // The first delta is printed (or sent on, by plue acp): the heap may be collected again (see StartGc).
            StartGc.Release();
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.SessionMessageUpdated, (p, _) => MessageUpdated?.Invoke(p) ?? ValueTask.CompletedTask);
        router.Add(Contract.SessionUpdated, (_, _) => ValueTask.CompletedTask);
        router.Add(Contract.TemplatesChanged, (_, _) => ValueTask.CompletedTask);
        router.Add(Contract.CodexChanged, (_, _) => ValueTask.CompletedTask);
        router.Add(Contract.TaskUpdated, (p, _) =>
        {
            TaskUpdated?.Invoke(p);
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.PermissionRequest, (p, ct) => Approve is { } approve
            ? approve(p, ct)
            : Task.FromResult(new PermissionRequestResult { Decision = "deny", Message = "No one was there to answer on the command line." }));
    }
}
