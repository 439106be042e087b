using Microsoft.Extensions.Logging;
using Plue.Checkpoints;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Containers;

/// <summary>
/// Tasks on an engine on another machine (docs/CONTAINERS.md): no folder is mounted; the worktree goes in and comes
/// back as a git bundle (<see cref="ContainerBundle"/>), kept in a volume of the container's own at the worktree's
/// path; the network is none, or the engine's own when the engine record says so.
/// </summary>
public sealed partial class TaskContainers
{
    public const string NeedsWorktree =
        "A task on an engine on another machine works on a copy of its own git worktree, and none could be made here: open a folder that is a git repository with a commit, or run it on an engine of this machine";

    /// <summary>Whether the task's engine is on another machine (its record's address; nothing is asked of the engine).</summary>
    public bool OnAnotherMachine(CodexRecord task)
    {
        try
        {
            return InContainerTree(task) && engines.OnAnotherMachine(Engine(TaskRecordFields.Of(task.Fields).Engine));
        }
        catch (RpcException)
        {
            return false; // no such engine: refused when the run starts
        }
    }

    /// <summary>The container on another machine: a volume where the worktree is copied in instead of a mount, and the engine's network when its record asks.</summary>
    private static ContainerSpec Remote(ContainerSpec local, TaskWorktree worktree, CodexRecord? record) => local with
    {
        Binds = [],
        Volumes = [ContainerBundle.VolumeOf(worktree)],
        Network = RemoteNetwork(record) == EngineRecordFields.EngineNetwork ? "default" : "none",
    };

    /// <summary>What the tree says of a remote container's network: none, or engine.</summary>
    private static string RemoteNetwork(CodexRecord? record) =>
        record is not null && EngineRecordFields.Of(record.Fields).Network == EngineRecordFields.EngineNetwork ? EngineRecordFields.EngineNetwork : "none";

    /// <summary>Copies the worktree in; a failure (no git in the image, a worktree that cannot be bundled) removes the container and fails the run.</summary>
    private async Task SendInAsync(string taskId, TaskContainer container, TaskWorktree worktree, string image, CancellationToken cancellationToken)
    {
        try
        {
            container.Copy = new ContainerCopy(worktree, await ContainerBundle.SendAsync(container, worktree, image, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is EngineException or CheckpointException or IOException)
        {
            container.Info = container.Info with { State = "failed", Reason = e.Message.TrimEnd('.') };
            await EndAsync(taskId).ConfigureAwait(false);
            throw e as EngineException ?? new EngineException(e.Message, EngineFix.StartEngine, e);
        }
    }

    /// <summary>The run ended: its work comes back into the worktree before its container goes. What stops it is logged and said in the tree.</summary>
    private async Task BringBackAsync(string taskId, TaskContainer container)
    {
        if (container.Copy is not { } copy || container.Info.State == "failed") return;
        try
        {
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await ContainerBundle.BringBackAsync(container, copy.Worktree, copy.Start, within.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or CheckpointException or IOException or OperationCanceledException)
        {
            LogNotBroughtBack(taskId, e.Message);
            container.Info = container.Info with { State = "failed", Reason = $"Its work could not be brought back from its container: {e.Message.TrimEnd('.')}" };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its work could not be brought back from its container ({Reason})")]
    private partial void LogNotBroughtBack(string taskId, string reason);
}
