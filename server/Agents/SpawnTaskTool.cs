using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Tools;

namespace Plue.Agents;

/// <summary>
/// <c>spawn_task</c>: starts one sub-task and returns its outcome when it ends. A model that calls it several times in
/// one turn gets them run in parallel (see <see cref="TaskToolCalls"/>), each result back when all are done.
/// </summary>
public sealed class SpawnTaskTool(Lazy<TaskSpawner> spawner) : IAgentTool
{
    public const string ToolName = "spawn_task";

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [
            new("template", "string", "The sub-task's template, one of those your task settings list (e.g. task-code-writer), or the name of an agent they list.", Required: true),
            new("title", "string", "A short title the user sees.", Required: true),
            new("goal", "string", "The sub-task's whole brief: it sees nothing else (not your goal, not the other sub-tasks).", Required: true),
            new("provider_ref", "string", "Optional: another provider instance (codex://providers/<slug> or env:<provider>); yours when absent."),
            new("model_id", "string", "Optional: the model; yours when absent."),
            new("tools", "array", "Optional: fewer tools than the template gives; never more.")
            {
                Items = new() { ["type"] = "string", ["enum"] = new JsonArray("read", "write", "edit", "search", "bash", "spawn_task") },
            },
            new("isolation", "string", "Optional: where a writing sub-task works. shared: in the workspace, for sub-tasks that write different files; worktree: its own git worktree, its changes back for review; auto (the default): a worktree when others run beside it, or turns without git.")
            {
                Enum = ["auto", "worktree", "shared"],
            },
            new("runs", "string", "Optional: where its commands run. container: in a container of its own on your Docker engine (its folder mounted in, no network); local: on this machine. A sub-task of a task in a container always runs in one. Its template may fix it.")
            {
                Enum = ["local", "container"],
            },
            new("image", "string", "Optional, with runs container: the image its container is made from; else yours, the workspace's devcontainer image, or the default."),
        ],
        closed: true);

    public string Name => ToolName;

    public string Description =>
        "Starts a sub-task from a template with its own brief, waits until it ends, and returns its status and final report. " +
        "Call it several times in one turn to run sub-tasks in parallel.";

    public JsonElement InputSchema => s_schema;

    public bool AsksApproval => false;

    public Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        spawner.Value.SpawnAsync(context.TaskId, input, cancellationToken);
}
