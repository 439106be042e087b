using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Transcripts;

namespace Plue.Agents.Tools;

/// <summary>
/// <c>plan_update</c>: ticks steps of the chat's started plan off (or back on), by their numbers. A chat's turn gets it
/// while a plan handed over by Start has steps left (docs/CUSTOMIZATIONS.md, Plan mode); it changes only the plan.
/// </summary>
public sealed class PlanUpdateTool(ChatPlans plans) : IAgentTool
{
    private static readonly JsonElement s_schema = ToolSchema.Object(
    [
        new("steps", "array", "The numbers of the steps, as the plan numbers them (from 1).", Required: true) { Items = new JsonObject { ["type"] = "integer" } },
        new("done", "boolean", "true: the steps are done (the default); false: not done after all."),
    ]);

    public string Name => ChatPlans.ToolName;
    public string Description => "Marks steps of the plan you are carrying out as done, by their numbers, so the user sees the progress. Call it after finishing each step.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => false;

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var steps = input.TryGetProperty("steps", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(s => s.TryGetInt32(out var n) ? n : throw new ToolException("'steps' must be whole numbers, from 1.")).ToList()
            : throw new ToolException("'steps' is required: the numbers of the steps done.");
        var done = !input.TryGetProperty("done", out var flag) || flag.ValueKind != JsonValueKind.False;
        try
        {
            var plan = await plans.UpdateAsync(context.TaskId, steps, done).ConfigureAwait(false);
            var left = plan.Items.Count(i => !i.Done);
            return new ToolResult(left == 0 ? "Every step of the plan is done." : $"Updated. {left} of {plan.Items.Count} steps left:\n{ChatPlans.Steps(plan)}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ToolException(e.Message);
        }
    }
}
