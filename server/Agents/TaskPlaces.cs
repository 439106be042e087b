using Microsoft.Extensions.Logging;
using Plue.Agents.Containers;
using Plue.Agents.Tools;
using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// Decides where a run works. A task that may write (write, edit or bash) gets its own git worktree
/// (<see cref="TaskWorktrees"/>) when its <c>isolation</c> field says <c>worktree</c>, or, by default (<c>auto</c>),
/// when it is a sub-task whose parent runs several at once; <c>shared</c> keeps it in the workspace; a task left at <c>auto</c> follows its nearest ancestor that chose. The worktree is
/// made of the folder its parent works in (the parent's own worktree, else the first workspace folder). Where none can
/// be made (no git, no commit, Claude Code running its own tools) writing siblings take turns instead: one at a time.
/// A task in a container (<see cref="TaskContainers"/>) gets that folder mounted in a container made for the run.
/// </summary>
public sealed partial class TaskPlaces(TaskWorktrees worktrees, TaskRecords records, LiveTasks live, WorkspaceContext session, TaskContainers containers, ILogger<TaskPlaces> logger)
{
    public const string Auto = "auto";
    public const string Worktree = "worktree";
    public const string Shared = "shared";

    public async Task<TaskPlace> EnterAsync(CodexRecord task, ToolGrant grant, bool runsOwnTools, CancellationToken cancellationToken)
    {
        // A task on a swarm that runs here starts sub-tasks (they run as jobs): it needs no container of its own.
        var inContainer = (containers.InContainerTree(task) && !containers.OnSwarm(task)) || grant.Sandbox.Container is not null;
        // Refusals in the user's words, the task's end (an RpcException: not logged as a fault).
        if (inContainer && runsOwnTools) throw RpcException.InvalidParams(TaskContainers.RunsOwnTools);
        var place = await FolderAsync(task, grant, runsOwnTools, cancellationToken).ConfigureAwait(false);
        if (!inContainer) return place;
        var folder = place.Worktree?.Folder ?? session.Folders.FirstOrDefault()
            ?? throw RpcException.InvalidParams("A task in a container needs a workspace folder to mount in it: open a folder, then resume it");
        try
        {
            return place.With(await containers.StartAsync(PolicyContainer(task, grant.Sandbox), folder, place.Worktree, grant.Sandbox, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            place.Dispose();
            if (e is Engines.EngineException) throw RpcException.InvalidParams(e.Message);
            throw;
        }
    }

    /// <summary>
    /// A task whose sandbox policy runs its commands in a container runs as <c>runs: container</c> does: on the policy's
    /// engine and image where the task names none of its own.
    /// </summary>
    private static CodexRecord PolicyContainer(CodexRecord task, Sandbox.SandboxPolicy policy)
    {
        if (policy.Container is not { } chosen || TaskRecordFields.Of(task.Fields).Runs == TaskContainers.InContainer) return task;
        var fields = (System.Text.Json.Nodes.JsonObject)task.Fields.DeepClone();
        fields[TaskFields.Runs] = TaskContainers.InContainer;
        if (string.IsNullOrWhiteSpace(TaskRecordFields.Of(fields).Engine)) fields[TaskFields.Engine] = chosen.Engine;
        if (string.IsNullOrWhiteSpace(TaskRecordFields.Of(fields).Image)) fields[TaskFields.Image] = chosen.Image;
        return task with { Fields = fields };
    }

    /// <summary>Whether the task runs in a container (its own choice or an ancestor's).</summary>
    public bool InContainer(CodexRecord task) => containers.InContainerTree(task);

    /// <summary>A spend cap was reached: the containers of the capped task's subtree are stopped now (<see cref="TaskContainers.StopUnderAsync"/>).</summary>
    public Task StopAtCapAsync(string holderId, string why) => containers.StopUnderAsync(holderId, why);

    /// <summary>Why the task's container died under its run; null when it did not.</summary>
    public string? DiedWhy(string taskId) => containers.DiedWhy(taskId);

    private async Task<TaskPlace> FolderAsync(CodexRecord task, ToolGrant grant, bool runsOwnTools, CancellationToken cancellationToken)
    {
        // A resumed run goes on where its changes are.
        if (worktrees.Find(task.Id) is { } kept) return new TaskPlace(kept, null);
        // On an engine on another machine a task works on a copy of its own worktree, whatever it may change.
        if (!Isolated(task, grant) && !containers.OnAnotherMachine(task)) return TaskPlace.Workspace;
        var source = worktrees.Find(task.SpawnedBy ?? "")?.Folder ?? session.Folders.FirstOrDefault();
        var obstacle = runsOwnTools ? "Claude Code runs its own tools in the workspace folder"
            : source is null ? "no workspace folder is open"
            : await worktrees.ObstacleAsync(source, cancellationToken).ConfigureAwait(false);
        if (obstacle is null) return new TaskPlace(await worktrees.CreateAsync(task.Id, source!, cancellationToken).ConfigureAwait(false), null);
        if (task.SpawnedBy is not { } parentId || live.Find(parentId) is not { } parentRun) return TaskPlace.Workspace;
        LogTakesTurns(task.Id, obstacle);
        var turn = parentRun.WriterTurn;
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new TaskPlace(null, turn);
    }

    /// <summary>A run ended: its changes wait for review, or its worktree goes when it changed nothing. A paused task keeps it to go on.</summary>
    public async Task SettleAsync(string taskId, string status)
    {
        await containers.EndAsync(taskId).ConfigureAwait(false); // every end, a pause at a spend cap too: a resumed run gets a new one
        if (status == TaskStatuses.Paused) return;
        try
        {
            await worktrees.SettleAsync(taskId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            LogSettleFailed(taskId, e.Message);
        }
    }

    private bool Isolated(CodexRecord task, ToolGrant grant)
    {
        if (!ToolRunner.ChangingTools.Any(grant.Allowed.Contains)) return false;
        var parent = task.SpawnedBy is { } parentId ? records.Find(parentId) : null;
        return Isolation(task) switch
        {
            Shared => false,
            Worktree => true,
            // Beside others: its parent may run more than one sub-task at once.
            _ => parent is not null && (TaskRecordFields.Of(parent.Fields).Concurrency ?? TaskGrants.DefaultConcurrency) > 1,
        };
    }

    /// <summary>The task's own choice, else the nearest ancestor's: a tree started as shared or worktree keeps its writers so.</summary>
    private string Isolation(CodexRecord task)
    {
        if (TaskRecordFields.Of(task.Fields).Isolation is { } own && own != Auto) return own;
        return records.Ancestors(task).Select(a => TaskRecordFields.Of(a.Fields).Isolation).FirstOrDefault(i => i is not null && i != Auto) ?? Auto;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} writes in the workspace, one writer at a time: no worktree ({Reason})")]
    private partial void LogTakesTurns(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its worktree's changes could not be read ({Reason}); it is kept")]
    private partial void LogSettleFailed(string taskId, string reason);
}
