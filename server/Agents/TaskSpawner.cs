using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Tools;
using Plue.Checkpoints;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// What <c>spawn_task</c> does for a running task: checks the request against the parent's limits (its
/// <c>child_templates</c>, <c>max_spawned_tasks</c> counted over all its runs, every ancestor's <c>max_depth</c>, tools
/// only narrowed), creates the child (inheriting instance and model unless given), runs it when one of the parent's
/// <c>concurrency</c> slots is free, and reports how it ended. A refusal is a tool error the model reads. On a resumed run, a call
/// the sidecar's stop left unanswered goes on with the sub-task it had started instead. A used agent file is started by
/// its name in place of a template: a <c>task</c> with the agent's prompt, tools and model (when the instance offers it).
/// </summary>
public sealed class TaskSpawner(TaskRecords records, TaskCreation creation, LiveTasks live, TaskRunner runner, TaskEvents events, InstanceService instances, ModelMenu menu, TaskWorktrees worktrees,
    Plue.Customizations.CustomizationRegistry customizations, InstanceChecks checks)
{
    /// <summary>The template an agent file's sub-task is made from: the base, whose tools are not locked.</summary>
    private const string AgentTemplate = "task";

    public async Task<ToolResult> SpawnAsync(string parentId, JsonElement input, CancellationToken cancellationToken)
    {
        if (Read(input) is not { } asked) return ToolResult.Error("spawn_task needs template, title and goal, as strings");
        var agent = records.TaskTemplate(asked.Template) is null ? Plue.Customizations.CustomAgents.Find(customizations.Agents, asked.Template) : null;
        var request = agent is null ? asked : asked with { Template = AgentTemplate, Agent = agent };
        if (live.Find(parentId) is not { } parentRun) return ToolResult.Error("spawn_task runs only inside a running task");
        var parent = records.Get(parentId);
        var parentFields = TaskRecordFields.Of(parent.Fields);
        var concurrency = parentFields.Concurrency ?? TaskGrants.DefaultConcurrency;
        // A call the sidecar's stop left unanswered goes on with the sub-task it had started.
        if (parentRun.TakeStarted(c => c.TemplateId == request.Template && c.Title == request.Title && TaskRecordFields.Of(c.Fields).Goal == request.Goal) is { } started)
            return Outcome(started, await runner.GoOnAsync(parentRun, started, parentRun.ChildSlots(concurrency)).ConfigureAwait(false));
        if (Refusal(parent, request) is { } refusal) return ToolResult.Error(refusal);
        var max = parentFields.MaxSpawnedTasks ?? 0;
        if (!parentRun.TryReserveSpawn(max))
            return ToolResult.Error($"This task may start at most {max} sub-task(s) in total and has used them all: finish with what you have, or report what is left undone");

        var (agentModel, modelNote) = await AgentModelAsync(parent, request, cancellationToken).ConfigureAwait(false);
        CodexRecord child;
        try
        {
            child = await creation.CreateAsync(new TaskCreation.Request
            {
                TemplateId = request.Template,
                Title = request.Title,
                Goal = request.Goal,
                ProviderRef = request.ProviderRef,
                ModelId = request.ModelId ?? agentModel,
                Parent = parent,
                Fields = Fields(request),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            parentRun.ReleaseSpawn();
            return ToolResult.Error($"The sub-task was not started: {e.Message}");
        }
        // A new id: no run can hold it yet. Linked to the parent's token, so interrupting the parent stops it too.
        var childRun = live.TryBegin(child.Id, cancellationToken, alreadySpawned: 0)!;
        await events.ChangedAsync(child.Id).ConfigureAwait(false);
        var final = await runner.RunAsync(childRun, resumed: false, parentRun.ChildSlots(concurrency)).ConfigureAwait(false);
        var outcome = Outcome(child, final);
        if (modelNote is not null) outcome = outcome with { Output = modelNote + outcome.Output };
        return WithChanges(parent, child, outcome);
    }

    /// <summary>A sub-task's changes wait in its own worktree: the parent merges them (merge_changes) or the user reviews and applies them.</summary>
    private ToolResult WithChanges(CodexRecord parent, CodexRecord child, ToolResult outcome)
    {
        if (worktrees.Find(child.Id)?.Changes is not { Count: > 0 } changes) return outcome;
        var merge = TaskRecordFields.Of(parent.Fields).AvailableTools.Contains(MergeChangesTool.ToolName)
            ? $"merge them with merge_changes {{\"task\": \"{child.Ref}\"}} (the user approves), or leave them for the user to review, apply or discard."
            : "the user reviews them and applies or discards them.";
        return outcome with
        {
            Output = outcome.Output + $"\nIts changes to {changes.Count} file(s) ({string.Join(", ", changes.Select(CheckpointTurns.PathOf).Take(10))}) are in its own git worktree, " +
                "not yet in your folder: " + merge,
        };
    }

    private string? Refusal(CodexRecord parent, SpawnRequest request)
    {
        var allowed = TaskRecordFields.Of(parent.Fields).ChildTemplates;
        // An agent file is the user's own, chosen by them: a task's child_templates limits its templates, not its agents.
        if (request.Agent is { } agent) return AgentRefusal(parent, request, agent);
        if (parent.Fields.ContainsKey(TaskFields.ChildTemplates) && !allowed.Contains(request.Template, StringComparer.Ordinal))
            return $"Template '{request.Template}' is not one this task may start; it may start: {string.Join(", ", allowed)}";
        if (records.TaskTemplate(request.Template) is not { } template)
            return $"'{request.Template}' is not a task template nor an agent's name" + (customizations.Agents.Count > 0 ? $"; the agents are: {string.Join(", ", customizations.Agents.Select(a => a.Name))}" : "");
        if (request.ProviderRef is { } reference && InstanceProblem(reference) is { } why) return menu.UnknownInstance(reference, why);
        if (request.Tools is { } tools && template.Field(TaskFields.AvailableTools)?.Default is JsonArray defaults)
        {
            var given = defaults.OfType<JsonValue>().Select(v => v.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var wider = tools.Where(t => !given.Contains(t)).ToList();
            if (wider.Count > 0) return $"tools may only narrow what {request.Template} gives ({string.Join(", ", given)}), not add {string.Join(", ", wider)}";
        }
        return DepthRefusal(parent);
    }

    private string? AgentRefusal(CodexRecord parent, SpawnRequest request, Plue.Customizations.CustomAgent agent)
    {
        if (request.ProviderRef is { } reference && InstanceProblem(reference) is { } why) return menu.UnknownInstance(reference, why);
        if (request.Tools?.Where(t => !agent.Granted.Contains(t)).ToList() is { Count: > 0 } wider)
            return $"tools may only narrow what the agent {agent.Name} has ({string.Join(", ", agent.Granted)}), not add {string.Join(", ", wider)}";
        return DepthRefusal(parent);
    }

    private string? DepthRefusal(CodexRecord parent)
    {
        try
        {
            creation.CheckDepth(parent);
            return null;
        }
        catch (RpcException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The agent file's model when the sub-task's instance offers it and the call named none; else null with why not
    /// (the sub-task then runs on the template's or its parent's model, and the parent's model is told).
    /// </summary>
    private async Task<(string? Model, string? Note)> AgentModelAsync(CodexRecord parent, SpawnRequest request, CancellationToken cancellationToken)
    {
        if (request.Agent?.Model is not { } wanted || request.ModelId is not null) return (null, null);
        try
        {
            var instanceId = records.InstanceId(request.ProviderRef ?? TaskRecordFields.Of(parent.Fields).ProviderRef ?? "");
            await checks.RequireOfferedAsync(instanceId, wanted, allowUnlisted: false, cancellationToken).ConfigureAwait(false);
            return (wanted, null);
        }
        catch (RpcException)
        {
            return (null, $"The agent's model {wanted} is not one its provider offers, so it ran on another. ");
        }
    }

    /// <summary>Why the instance a model named cannot run a sub-task (it does not exist, is disabled, lacks a key...); null when it can.</summary>
    private string? InstanceProblem(string reference)
    {
        try
        {
            var instance = instances.Get(records.InstanceId(reference));
            return !instance.Enabled ? "it is disabled" : instances.Obstacle(instance.Id);
        }
        catch (RpcException)
        {
            return "there is no such instance";
        }
    }

    /// <summary>What the parent's model reads: how the sub-task ended and its report, or why it did not finish.</summary>
    internal static ToolResult Outcome(CodexRecord child, CodexRecord? final)
    {
        if (final is null) return ToolResult.Error($"Sub-task \"{child.Title}\" ({child.Ref}) was deleted while it ran.");
        var status = final.Status ?? TaskStatuses.Failed;
        var fields = TaskRecordFields.Of(final.Fields);
        var text = new StringBuilder()
            .Append($"Sub-task \"{final.Title}\" ({final.Ref}; template {final.TemplateId}, model {fields.ModelId}): {status}.");
        if (fields.StatusReason is { } reason) text.Append("\nWhy: ").Append(reason);
        if (status == TaskStatuses.Paused) text.Append("\nIts work so far is kept: when this task is resumed, the sub-task resumes with it and you get its report.");
        if (fields.Result is { } report) text.Append("\nReport:\n").Append(report);
        return new ToolResult(text.ToString(), IsError: status != TaskStatuses.Completed);
    }

    private static SpawnRequest? Read(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object) return null;
        var template = String(input, "template");
        var title = String(input, "title");
        var goal = String(input, "goal");
        if (template is null || title is null || goal is null) return null;
        IReadOnlyList<string>? tools = input.TryGetProperty("tools", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)]
            : null;
        return new SpawnRequest(template, title, goal, String(input, "provider_ref"), String(input, "model_id"), tools, String(input, "isolation"))
        {
            Runs = String(input, "runs"),
            Image = String(input, "image"),
        };
    }

    // What the call sets of the sub-task's own fields; the template checks them like any other write.
    private static JsonObject? Fields(SpawnRequest request)
    {
        var fields = new JsonObject();
        // An agent's sub-task: its file's prompt (read by name when it runs), its tools (narrowed by the call), its MCP tools.
        if (request.Agent is { } agent)
        {
            fields[TaskFields.Agent] = agent.Name;
            fields[TaskFields.AvailableTools] = new JsonArray([.. (request.Tools ?? agent.Granted).Select(t => (JsonNode)t)]);
            if (agent.McpTools.Count > 0) fields[TaskFields.McpTools] = new JsonArray([.. agent.McpTools.Select(t => (JsonNode)t)]);
        }
        else if (request.Tools is { } tools) fields[TaskFields.AvailableTools] = new JsonArray([.. tools.Select(t => (JsonNode)t)]);
        if (request.Isolation is { } isolation) fields[TaskFields.Isolation] = isolation;
        if (request.Runs is { } runs) fields[TaskFields.Runs] = runs;
        if (request.Image is { } image) fields[TaskFields.Image] = image;
        return fields.Count > 0 ? fields : null;
    }

    private static string? String(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private sealed record SpawnRequest(string Template, string Title, string Goal, string? ProviderRef, string? ModelId, IReadOnlyList<string>? Tools, string? Isolation)
    {
        /// <summary>The agent file the call named in place of a template.</summary>
        public Plue.Customizations.CustomAgent? Agent { get; init; }
        public string? Runs { get; init; }
        public string? Image { get; init; }
    }
}
