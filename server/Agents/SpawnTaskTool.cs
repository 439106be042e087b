using System.Text.Json;
using Plue.Agents.Tools;

namespace Plue.Agents;

/// <summary>
/// <c>spawn_task</c>: starts one sub-task and returns its outcome when it ends. A model that calls it several times in
/// one turn gets them run in parallel (see <see cref="TaskToolCalls"/>), each result back when all are done.
/// </summary>
public sealed class SpawnTaskTool(Lazy<TaskSpawner> spawner) : IAgentTool
{
    public const string ToolName = "spawn_task";

    private static readonly JsonElement s_schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "template": { "type": "string", "description": "The sub-task's template, one of those your task settings list (e.g. task-code-writer)." },
            "title": { "type": "string", "description": "A short title the user sees." },
            "goal": { "type": "string", "description": "The sub-task's whole brief: it sees nothing else (not your goal, not the other sub-tasks)." },
            "provider_ref": { "type": "string", "description": "Optional: another provider instance (codex://providers/<slug> or env:<provider>); yours when absent." },
            "model_id": { "type": "string", "description": "Optional: the model; yours when absent." },
            "tools": {
              "type": "array",
              "items": { "type": "string", "enum": ["read", "write", "edit", "search", "bash", "spawn_task"] },
              "description": "Optional: fewer tools than the template gives; never more."
            }
          },
          "required": ["template", "title", "goal"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    public string Name => ToolName;

    public string Description =>
        "Starts a sub-task from a template with its own brief, waits until it ends, and returns its status and final report. " +
        "Call it several times in one turn to run sub-tasks in parallel.";

    public JsonElement InputSchema => s_schema;

    public bool AsksApproval => false;

    public Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken) =>
        spawner.Value.SpawnAsync(context.TaskId, input, cancellationToken);
}
