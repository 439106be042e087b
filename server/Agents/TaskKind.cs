using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents;

/// <summary>
/// The <c>task</c> kind (and every template inheriting from it): what the runner writes (the task's status, result,
/// status reason, times, run owner, context warning) is the runner's; <c>codex/create</c>, <c>codex/update</c> and
/// <c>codex/undo</c> refuse a caller's change to it (a created task has no status: it is in one because it ran), and
/// the runner's own writes (<see cref="TaskRecords"/>) pass. A running task (here or in another window) cannot be
/// deleted: its runner would go on writing a record that is gone. The transcript stays with the task's id when the
/// record is deleted, so an undo finds it.
/// </summary>
public sealed class TaskKind(LiveTasks live, WorkspaceContext workspace) : IRecordKind
{
    /// <summary>The name a refusal of a change to the record's status gives (it is the record's, not a field).</summary>
    public const string StatusField = "status";

    private const string Doors = "task/start, task/interrupt and task/resume run the task, which writes it";

    public string TemplateId => TaskFields.BaseTemplate;

    public IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after)
    {
        foreach (var error in FeatureWritten.Changed(template, before, after, _ => $"is written by the task's runner, not by a caller: {Doors}"))
            yield return error;
        if (after.Status != before.Status)
            yield return new FieldError(StatusField, $"is the runner's to write (the task is {before.Status ?? "new"}): {Doors}");
    }

    /// <summary>A task running here, or in another window whose sidecar still runs (the record names its run's owner).</summary>
    public string? CheckDelete(CodexRecord record) =>
        live.IsLive(record.Id) ? "The task is running; interrupt it (task/interrupt) before deleting"
        : TaskStatuses.IsLive(record.Status) && TaskRecordFields.Of(record.Fields).RunOwner is { } owner
            && owner != TranscriptOwner.Current && TranscriptOwner.IsAlive(owner, workspace.Home)
            ? "The task is running in another window; interrupt it there (Interrupt Task) before deleting"
            : null;
}
