using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Agents.Tools;
using Plue.Codex.Prompts;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// What a task's model is told besides its transcript: the system prompt (from <c>system_prompt_ref</c>) and, in the
/// first user message, the goal followed by a note the sidecar writes about the tools and limits it enforces.
/// </summary>
public sealed partial class TaskBrief(PromptLibrary prompts, ModelMenu menu, Plue.Workspace.WorkspaceContext workspace, Plue.Customizations.CustomizationRegistry customizations,
    Plue.Instances.InstanceChecks checks, Plue.Sessions.ChatModes modes, Plue.Customizations.CustomCommandGate commandGate, ILogger<TaskBrief> logger)
{
    public const string ResumeNote = "The user resumed this task. Continue toward the goal from where you stopped.";

    /// <summary>
    /// The system prompt, then the instructions a chat sends (<see cref="Plue.Customizations.CustomizationRegistry.Instructions"/>:
    /// the instructions files, and the scoped files and instruction records that always apply, no file being in play), then,
    /// for a task that may load skills (the skill tool comes with read, as in a chat), each skill's name and description;
    /// last, for a resumed task, the scoped files its earlier tool calls brought in (<paramref name="earlier"/>), as
    /// they joined. <paramref name="sent"/> holds what was sent, for the files later calls bring in (<see cref="Turns.TurnInstructions.JoinScopedAsync"/>).
    /// </summary>
    /// <param name="earlier">The scoped files the transcript's tool calls brought in, given what was sent (<see cref="Turns.TurnInstructions.Touched"/>).</param>
    public string? SystemPrompt(CodexRecord task, ToolGrant grant, out Plue.Customizations.SentInstructions sent,
        Func<Plue.Customizations.SentInstructions, IReadOnlyList<Plue.Workspace.InstructionsFile>>? earlier = null)
    {
        var skills = grant.Allowed.Contains(SkillTool.ToolName) ? Plue.Customizations.Skill.Prompt(customizations.Skills) : null;
        var files = customizations.Instructions(workspace, []);
        sent = new Plue.Customizations.SentInstructions(files);
        var joined = earlier?.Invoke(sent) ?? [];
        var sections = new[] { OwnPrompt(task), Plue.Workspace.InstructionsFiles.Prompt(files), skills, Plue.Customizations.SentInstructions.Prompt(joined) }.OfType<string>().ToList();
        return sections.Count == 0 ? null : string.Join("\n\n", sections);
    }

    /// <summary>
    /// The agent file's body for a task started as one, else the template's prompt; null (and a log line) when the file
    /// cannot be read: the task still runs.
    /// </summary>
    private string? OwnPrompt(CodexRecord task)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        if (fields.Agent is { } name)
        {
            if (Plue.Customizations.CustomAgents.Find(customizations.Agents, name) is { } agent) return agent.Prompt;
            LogAgentMissing(task.Id, name);
        }
        if (fields.SystemPromptRef is not { } reference) return null;
        try
        {
            return prompts.Get(reference).Content;
        }
        catch (RpcException e)
        {
            LogPromptMissing(task.Id, reference, e.Message);
            return null;
        }
    }

    /// <summary>
    /// A goal typed as <c>/name args</c> of a used command: what it sends (the body with the arguments put in), what the
    /// task shows of it, and the fields its front matter changes, as it changes a chat's turn (docs/CUSTOMIZATIONS.md,
    /// Commands): <c>mode</c>/<c>agent</c> naming an agent file starts the task as that agent (its prompt, tools and
    /// model), naming a chat mode narrows the task's tools to the mode's; <c>tools</c>/<c>allowed-tools</c> narrow them;
    /// <c>model</c> (else the agent's) is the task's model when its instance offers it, otherwise the task keeps its own
    /// and the first message says so. Null for any other goal.
    /// </summary>
    public async Task<TaskCommand?> CommandAsync(CodexRecord task, string instanceId, CancellationToken cancellationToken)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        if (fields.Goal is not { } goal || Plue.Customizations.CustomCommands.Find(customizations.Commands, goal) is not var (command, arguments)) return null;
        // One whose file appeared or changed during the session runs once the user allowed it; else the goal is sent as typed.
        if (!await commandGate.AllowedAsync(command, null, task.Id, cancellationToken).ConfigureAwait(false))
            return new TaskCommand(goal, new CommandUse { Name = command.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = command.Source,
                Notes = [Plue.Customizations.CustomCommandGate.NotRun] }, []);
        var notes = new List<string>();
        var changes = new JsonObject();
        IReadOnlyList<string> tools = fields.AvailableTools, mcpTools = fields.McpTools;
        var agent = command.Mode is { } modeName ? FromMode(modeName, changes, notes, ref tools, ref mcpTools) : null;
        if (command.Tools is { } named)
        {
            var only = Plue.Customizations.CustomCommands.PlueTools(named);
            (tools, mcpTools) = ([.. tools.Where(only.Contains)], [.. mcpTools.Where(only.Contains)]);
            notes.Add(only.Count == 0 ? "no tools (none of its tools is one Plue has)" : $"tools only {string.Join(", ", only)}");
        }
        if (!tools.SequenceEqual(fields.AvailableTools)) changes[TaskFields.AvailableTools] = new JsonArray([.. tools.Select(t => (JsonNode)t)]);
        if (!mcpTools.SequenceEqual(fields.McpTools)) changes[TaskFields.McpTools] = new JsonArray([.. mcpTools.Select(t => (JsonNode)t)]);
        if ((command.Model ?? agent?.Model) is { } wanted && wanted != fields.ModelId)
        {
            try
            {
                await checks.RequireOfferedAsync(instanceId, wanted, allowUnlisted: false, cancellationToken, "change the command's model").ConfigureAwait(false);
                changes[TaskFields.ModelId] = wanted;
                notes.Add($"model {wanted}");
            }
            catch (RpcException)
            {
                notes.Add($"model {wanted} is not one the task's provider offers; the task uses {fields.ModelId}");
            }
        }
        var use = new CommandUse { Name = command.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = command.Source, Notes = notes.Count > 0 ? notes : null };
        return new TaskCommand(Plue.Customizations.CustomCommands.Expand(command.Body, arguments), use, changes);
    }

    /// <summary>
    /// A command's <c>mode</c>: naming an agent file starts the task as that agent (its tools, its name in the changes);
    /// naming a chat mode narrows the task's tools to the mode's. Null when it names no agent.
    /// </summary>
    private Plue.Customizations.CustomAgent? FromMode(string modeName, JsonObject changes, List<string> notes, ref IReadOnlyList<string> tools, ref IReadOnlyList<string> mcpTools)
    {
        var mode = modes.Named(modeName);
        var agent = mode is null ? null : Plue.Customizations.CustomAgents.Find(customizations.Agents, mode.Id);
        if (agent is not null)
        {
            changes[TaskFields.Agent] = agent.Name;
            (tools, mcpTools) = (agent.Granted, agent.McpTools);
            notes.Add($"agent {agent.Name}");
        }
        else if (mode is not null)
        {
            var allowed = mode.Plans ? Plue.Sessions.ChatModes.PlanTools : mode.Tools.Concat(mode.McpTools).ToList();
            (tools, mcpTools) = ([.. tools.Where(allowed.Contains)], [.. mcpTools.Where(allowed.Contains)]);
            notes.Add($"mode {mode.Name}");
        }
        else notes.Add($"mode {modeName} is not a chat mode or agent here; the task keeps its own tools");
        return agent;
    }

    /// <summary>The instances and models a task that may spawn sub-tasks can choose from (see <see cref="ModelMenu"/>); null for others.</summary>
    public string? Models(TaskGrantInfo grant, string instanceId, string modelId) =>
        grant.Tools.Contains(SpawnTaskTool.ToolName) ? menu.For(instanceId, modelId) : null;

    /// <summary>The agent files a task that may spawn sub-tasks can start by name, with their descriptions; null for others or when there is none.</summary>
    public string? Agents(TaskGrantInfo grant)
    {
        if (!grant.Tools.Contains(SpawnTaskTool.ToolName) || customizations.Agents is not { Count: > 0 } agents) return null;
        return "Agents you may start as sub-tasks (spawn_task with template set to the agent's name; it brings its own instructions and tools):\n"
            + string.Join("\n", agents.Select(a => $"- {a.Name}: {a.Description}"));
    }

    /// <summary>The goal, then the settings the runner enforces, so the model plans within them, and the models it may give sub-tasks.</summary>
    /// <param name="goal">The goal as sent, when it differs from the record's (a command's body, expanded).</param>
    public static string FirstMessage(CodexRecord task, TaskGrantInfo grant, string? models = null, string? goal = null)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        var note = new StringBuilder(goal ?? fields.Goal ?? "").Append("\n\n---\nTask settings (the sidecar enforces them):\n");
        note.Append("- Tools: ").Append(grant.Tools.Count == 0 ? "none" : string.Join(", ", grant.Tools)).Append('\n');
        var asking = grant.Tools.Where(t => (t is "write" or "edit" or "bash" || t.StartsWith(Tools.ToolNames.McpPrefix, StringComparison.Ordinal)) && !grant.AutoApprove.Contains(t)).ToList();
        if (asking.Count > 0) note.Append("- These ask the user before each use, who may refuse: ").Append(string.Join(", ", asking)).Append('\n');
        if (grant.Unavailable is { } why) note.Append("- Not available here: ").Append(why).Append('\n');
        if (grant.Tools.Contains(SpawnTaskTool.ToolName))
        {
            note.Append("- Sub-tasks: at most ").Append(fields.MaxSpawnedTasks ?? 0).Append(" in total");
            if (fields.ChildTemplates is { Count: > 0 } templates) note.Append(", from the templates ").Append(string.Join(", ", templates));
            note.Append("; ").Append(grant.Concurrency).Append(" run at a time; ")
                .Append(fields.MaxDepth ?? 0).Append(" level(s) of nesting below this task\n");
        }
        note.Append("- Model turns: at most ").Append(fields.MaxTurns ?? 0).Append('\n');
        if (fields.SpendCapUsd is { } cap)
            note.Append("- Spend cap: $").Append(cap.ToString("0.##", CultureInfo.InvariantCulture)).Append(", sub-tasks included; the task pauses when it is reached\n");
        if (models is not null) note.Append('\n').Append(models);
        note.Append("\nYour last message without a tool call is your final report: the task's result.");
        return note.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: agent file {Agent} is no longer used here (removed, renamed or ignored); the template's system prompt is used")]
    private partial void LogAgentMissing(string taskId, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: system prompt {Reference} cannot be read ({Reason}); it runs without one")]
    private partial void LogPromptMissing(string taskId, string reference, string reason);
}

/// <summary>A command typed as a task's goal: the goal sent, what the task shows of it, and the fields its front matter changes.</summary>
public sealed record TaskCommand(string Goal, CommandUse Use, JsonObject Fields);

/// <summary>What the first message says of a task's tools.</summary>
public sealed record TaskGrantInfo(IReadOnlyList<string> Tools, IReadOnlySet<string> AutoApprove, int Concurrency, string? Unavailable);
