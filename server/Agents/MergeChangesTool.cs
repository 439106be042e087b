using System.Text;
using System.Text.Json;
using Plue.Agents.Tools;
using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// <c>merge_changes</c>: applies what a finished sub-task changed in its own worktree to the folder its parent works
/// in, as the user's Apply Changes does (<see cref="TaskChanges"/>: <c>git apply --3way</c>, recorded as the sub-task's
/// checkpoint, its worktree removed). It changes the workspace, so it asks the user first, as a write does. A region the
/// folder changed too is left with conflict markers, named in the result, for the user to resolve in the merge editor.
/// </summary>
public sealed class MergeChangesTool(Lazy<TaskChanges> changes, TaskRecords records, TaskWorktrees worktrees, Lazy<TaskEvents> events) : IAgentTool, IDescribesCall, IChecksCall
{
    public const string ToolName = "merge_changes";

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [new("task", "string", "The sub-task whose changes to merge: its codex://tasks/<slug> reference, as spawn_task reported it.", Required: true)],
        closed: true);

    public string Name => ToolName;

    public string Description =>
        "Merges a finished sub-task's changes from its own git worktree into your folder, after the user approves, and says which files changed " +
        "and which were left in conflict (the user resolves those in the merge editor).";

    public JsonElement InputSchema => s_schema;

    public bool AsksApproval => true;

    public string DescribeCall(JsonElement input)
    {
        var child = Child(input, parentId: null);
        if (child is null) return "Merge a sub-task's changes into the workspace";
        var files = worktrees.Find(child.Id)?.Changes is { Count: > 0 } changed ? $" ({Files(changed.Select(CheckpointTurns.PathOf))})" : "";
        return $"Merge the changes of \"{child.Title}\"{files} into the workspace";
    }

    public string? Problem(JsonElement input, string taskId)
    {
        if (Child(input, taskId) is not { } child)
            return $"'{input.GetProperty("task").GetString()}' is none of this task's sub-tasks: give the codex://tasks/<slug> reference spawn_task reported.";
        return worktrees.Find(child.Id) switch
        {
            null => $"\"{child.Title}\" has no changes waiting: it worked in your folder, changed nothing, or its changes were merged or discarded already.",
            { Changes: null } => $"\"{child.Title}\" is still running: merge its changes once it has finished.",
            _ => null,
        };
    }

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        if (Problem(input, context.TaskId) is { } problem) return ToolResult.Error(problem);
        var child = Child(input, context.TaskId)!;
        TaskApplyChangesResult applied;
        try
        {
            applied = await changes.Value.ApplyAsync(child.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            return ToolResult.Error($"The changes of \"{child.Title}\" were not merged: {e.Message}");
        }
        await events.Value.MergedAsync(child, context.TaskId, applied).ConfigureAwait(false);
        if (applied.Files.Count == 0) return new ToolResult($"\"{child.Title}\" changed nothing; its worktree is removed.");
        var text = new StringBuilder($"Merged the changes of \"{child.Title}\" into {applied.Folder}: {Files(applied.Files.Select(f => $"{f.Path} ({f.Change.ToString().ToLowerInvariant()})"))}.");
        if (applied.Conflicts.Count > 0)
            text.Append($"\nIn conflict: {Files(applied.Conflicts)}. The folder had changed the same lines meanwhile; these files now hold conflict markers, " +
                "and the user resolves them in the merge editor. Do not rewrite them yourself; say in your report that they wait for the user.");
        return new ToolResult(text.ToString());
    }

    /// <summary>The sub-task the input names (its reference, slug, id or title), among <paramref name="parentId"/>'s children when given.</summary>
    private CodexRecord? Child(JsonElement input, string? parentId)
    {
        if (!input.TryGetProperty("task", out var value) || value.GetString() is not { Length: > 0 } named) return null;
        var candidates = parentId is null ? records.Find(named) is { } byId ? [byId] : records.List() : records.Children(parentId);
        return candidates.FirstOrDefault(c => c.Id == named || c.Ref == named || c.Slug == named)
            ?? candidates.FirstOrDefault(c => string.Equals(c.Title, named, StringComparison.Ordinal));
    }

    private static string Files(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        return string.Join(", ", list.Take(10)) + (list.Count > 10 ? $" and {list.Count - 10} more" : "");
    }
}
