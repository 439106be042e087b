using Plue.Catalog;
using Plue.Checkpoints;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// The <c>task</c> kind (and every template inheriting from it): what the runner writes (the task's status, result,
/// status reason, times, run owner, context warning) is the runner's; <c>codex/create</c>, <c>codex/update</c> and
/// <c>codex/undo</c> refuse a caller's change to it (a created task has no status: it is in one because it ran), and
/// the runner's own writes (<see cref="TaskRecords"/>) pass. A running task (here or in another window) cannot be
/// deleted: its runner would go on writing a record that is gone. The transcript stays with the task's id when the
/// record is deleted, so an undo finds it. A task's view (<see cref="Task(CodexRecord)"/>) is its record with its live
/// state in this process and what it and its subtree spent (<paramref name="costs"/>).
/// </summary>
public sealed class TaskKind(LiveTasks live, WorkspaceContext workspace, TaskRecords records, MessageStore messages, TaskViews costs, InstanceService instances,
    CatalogStore catalog, TaskWorktrees worktrees, Func<TaskGrants>? grants = null, Func<Containers.TaskContainers>? containers = null) : IRecordKind
{
    /// <summary>The name a refusal of a change to the record's status gives (it is the record's, not a field).</summary>
    public const string StatusField = "status";

    private const string Doors = "the task writes it as it runs (Run, Interrupt and Resume run it)";

    public string TemplateId => TaskFields.BaseTemplate;

    public IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after)
    {
        foreach (var error in FeatureWritten.Changed(template, before, after, _ => $"is written by the task's runner, not by a caller: {Doors}"))
            yield return error;
        if (after.Status != before.Status)
            yield return new FieldError(StatusField, $"is the runner's to write (the task is {before.Status ?? "new"}): {Doors}");
    }

    public bool LiveHere(CodexRecord record) => live.IsLive(record.Id);

    /// <summary>
    /// A swarm placement that cannot hold (<see cref="TaskPlacement"/>) is refused, and an engine that is not there is
    /// refused at every door (task/start, spawn_task, the settings form) when the engine is set or changed; a task whose engine was deleted since still records its runs (it fails saying so when it runs).
    /// </summary>
    public IEnumerable<FieldError> Check(CodexRecord? before, System.Text.Json.Nodes.JsonObject fields)
    {
        var task = TaskRecordFields.Of(fields);
        foreach (var error in TaskPlacement.Check(task)) yield return error;
        if (before is not null && TaskRecordFields.Of(before.Fields).Engine == task.Engine) yield break;
        if (containers?.Invoke().CheckEngine(task.Engine) is { } missing) yield return new FieldError(TaskFields.Engine, missing);
    }

    /// <summary>A deleted task's containers go with it (a run's is removed at its end; this finds any a crash left).</summary>
    public void Deleted(CodexRecord record)
    {
        if (containers is not null && containers().InContainerTree(record))
            _ = containers().RemoveAllAsync(record.Id, CancellationToken.None);
    }

    /// <summary>A task running here, or in another window whose sidecar still runs (the record names its run's owner).</summary>
    public string? CheckDelete(CodexRecord record) =>
        live.IsLive(record.Id) ? "The task is running; interrupt it (Interrupt, in its panel) before deleting"
        : TaskStatuses.IsLive(record.Status) && TaskRecordFields.Of(record.Fields).RunOwner is { } owner
            && owner != TranscriptOwner.Current && TranscriptOwner.IsAlive(owner, workspace.Home)
            ? "The task is running in another window; interrupt it there (Interrupt Task) before deleting"
            : null;

    public RecordView View(CodexRecord record) => new TaskView { Task = Task(record) };

    /// <summary>The task as <c>task/get</c> reads it.</summary>
    public AgentTask Task(string id) => Task(records.Get(id));

    public IReadOnlyList<AgentTask> List(string? parentId, int? limit = null, string? after = null) =>
        [.. records.List(spawnedBy: parentId, limit: limit, after: after).Select(Task)];

    /// <summary>A task as clients see it: its record, its live state in this process, and what it and its subtree spent.</summary>
    public AgentTask Task(CodexRecord task)
    {
        var why = task.Unreadable;
        try
        {
            return Task(task, readTranscript: true) with { Unreadable = why is null ? null : Unreadable(task, why) };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidCastException or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 })
        {
            return Task(task with { Fields = [] }, readTranscript: false) with { Unreadable = Unreadable(task, why ?? "its transcript cannot be read") };
        }
    }

    private static string Unreadable(CodexRecord task, string why) =>
        $"The task {task.Id} cannot be read: {why}. Delete it, or restore plue.db from a backup (plue.db.v*.bak).";

    private AgentTask Task(CodexRecord task, bool readTranscript)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        var own = readTranscript ? messages.Totals(task.Id).Spent : CostTotal.None;
        var children = records.Children(task.Id);
        var total = costs.Subtree(task.Id, own, children);
        var cap = fields.SpendCapUsd;
        var run = live.Find(task.Id);
        var status = task.Status ?? TaskStatuses.Queued;
        if (run?.Status == TaskStatuses.WaitingApproval && TaskStatuses.IsLive(status)) status = TaskStatuses.WaitingApproval;
        var worktree = worktrees.Find(task.Id);
        var elapsed = (fields.ElapsedMs ?? 0) + (run?.Clock.ElapsedMilliseconds ?? 0);
        return new AgentTask
        {
            TemplateId = task.TemplateId,
            Goal = fields.Goal ?? "",
            ParentId = task.SpawnedBy,
            Depth = records.Ancestors(task).Count,
            Status = TaskStatuses.ToWire(status),
            StatusReason = fields.StatusReason,
            InstanceId = InstanceId(task),
            ModelId = fields.ModelId ?? "",
            AvailableTools = fields.AvailableTools,
            Usage = own.Usage, CostUsd = own.Usd, CostSources = own.Sources,
            TotalUsage = total.Usage, TotalCostUsd = total.Usd, TotalCostSources = total.Sources,
            SpendCapUsd = cap,
            CapCountedUsd = cap is not null && readTranscript && total.IsLowerBound ? costs.CapSpent(task).Usd : null,
            SpendCapWarning = cap is null ? null : CapWarning(task, total),
            ContextWarning = fields.ContextWarning,
            Turns = readTranscript ? messages.Count(task.Id, MessageRole.Assistant) : 0,
            MaxTurns = fields.MaxTurns ?? 0,
            ChildCount = children.Count,
            PendingApproval = status == TaskStatuses.WaitingApproval ? run?.Pending : null,
            Result = fields.Result,
            SandboxPolicy = readTranscript ? grants?.Invoke().Sandbox(task).Describe() : null,
            SandboxDenials = readTranscript ? Denials(task.Id) : null,
            Worktree = worktree?.Folder,
            Runs = containers?.Invoke().InContainerTree(task) == true ? Containers.TaskContainers.InContainer : Containers.TaskContainers.Local,
            Container = containers?.Invoke().Info(task),
            Changes = worktree is null ? null : TaskWorktrees.Pending(worktree),
            CreatedAt = task.CreatedAt,
            StartedAt = fields.StartedAt,
            FinishedAt = fields.FinishedAt,
            ElapsedMs = elapsed,
        }.Headed(task);
    }

    /// <summary>What the sandbox denied the task's calls (kept on their result parts), each once; null when nothing.</summary>
    private List<SandboxDenialInfo>? Denials(string id)
    {
        var all = messages.Messages(id).SelectMany(m => m.Parts).OfType<ToolResultPart>().SelectMany(p => p.SandboxDenials ?? [])
            .DistinctBy(d => (d.Kind, d.What)).ToList();
        return all.Count == 0 ? null : all;
    }

    /// <summary>How a spend cap counts calls with no known price, in words for the user; null when every call is priced.</summary>
    private string? CapWarning(CodexRecord task, CostTotal total)
    {
        var price = costs.UnpricedPrice(task).ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture);
        if (total.IsLowerBound)
            return $"Some model calls in this task's tree have no known price: their tokens count against its spend cap at ${price} per million " +
                "(Price of unpriced models). Set that to what the models cost, or add their prices to a user catalog.";
        var modelId = TaskRecordFields.Of(task.Fields).ModelId ?? "";
        try
        {
            var instance = instances.Get(records.InstanceId(task));
            return TurnCost.Expected(catalog, instance, modelId) != CostSource.Unknown ? null
                : $"{instance.DisplayName} has no price for {modelId} in the catalog: its tokens count against the spend cap at ${price} per million " +
                  "(Price of unpriced models). Set that to what the model costs, or add its prices to a user catalog.";
        }
        catch (RpcException)
        {
            return null; // the instance was removed: the task says so when it runs
        }
    }

    private string InstanceId(CodexRecord task)
    {
        try
        {
            return records.InstanceId(task);
        }
        catch (RpcException)
        {
            // The instance was removed: the task still shows, and says so when it runs.
            return TaskRecordFields.Of(task.Fields).ProviderRef ?? "";
        }
    }
}
