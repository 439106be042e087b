using System.Text.Json.Nodes;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// Makes task records, for the user (<c>task/start</c>) and for <c>spawn_task</c>: the template must be a task
/// template, the provider an instance that exists and is enabled, and a sub-task inherits its parent's instance and
/// model unless given its own, and its parent's <c>auto_approve</c> (the user's choice for the tree). The template's
/// validation keeps <c>available_tools</c> within a locked list.
/// </summary>
public sealed class TaskCreation(TaskRecords records, InstanceService instances)
{
    public sealed record Request
    {
        public required string TemplateId { get; init; }
        public string? Title { get; init; }
        public required string Goal { get; init; }
        public string? ProviderRef { get; init; }
        public string? ModelId { get; init; }
        public CodexRecord? Parent { get; init; }
        public JsonObject? Fields { get; init; }
    }

    public CodexRecord Create(Request request)
    {
        if (string.IsNullOrWhiteSpace(request.Goal)) throw RpcException.InvalidParams("prompt: say what the task must achieve");
        var template = records.TaskTemplate(request.TemplateId)
            ?? throw RpcException.InvalidParams($"templateId: '{request.TemplateId}' is not a task template; use task, or a template whose parent_template is task");
        var fields = request.Fields?.DeepClone().AsObject() ?? [];
        var written = TaskFields.RunnerWritten.Where(fields.ContainsKey).ToList();
        if (written.Count > 0) throw RpcException.InvalidParams($"fields: {string.Join(", ", written)} are written by the runner, not given");

        var parent = request.Parent;
        // A template may name its provider in its default (codex://providers/<slug>, say a cheaper local model for a
        // specialist): it wins over the parent's, the caller's own choice over both.
        var templateProvider = template.Field(TaskFields.ProviderRef)?.Default is JsonValue d && d.TryGetValue<string>(out var named) ? named : null;
        var instance = Instance(request.ProviderRef ?? TaskFields.Text(fields, TaskFields.ProviderRef) ?? templateProvider ?? Inherited(parent, TaskFields.ProviderRef));
        var parentModel = parent is not null && SameInstance(parent, instance) ? TaskFields.Text(parent.Fields, TaskFields.ModelId) : null;
        var model = request.ModelId ?? TaskFields.Text(fields, TaskFields.ModelId) ?? parentModel ?? instance.DefaultModel
            ?? throw RpcException.InvalidParams($"modelId: name the model; instance '{instance.DisplayName}' has no default model");

        fields[TaskFields.Goal] = request.Goal;
        fields[TaskFields.ProviderRef] = instance.FromEnvironment ? instance.Id : instance.Ref;
        fields[TaskFields.ModelId] = model;
        fields[TaskFields.RunOwner] = TranscriptOwner.Current;
        if (parent is not null)
        {
            CheckDepth(parent);
            if (!fields.ContainsKey(TaskFields.AutoApprove) && parent.Fields[TaskFields.AutoApprove] is JsonArray inherited)
                fields[TaskFields.AutoApprove] = inherited.DeepClone();
        }
        return records.Create(new CodexDraft
        {
            TemplateId = request.TemplateId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? TitleFrom(request.Goal) : request.Title,
            Fields = fields,
            SpawnedBy = parent?.Id,
            Status = TaskStatuses.Queued,
        });
    }

    /// <summary>
    /// Refuses a sub-task that would nest deeper than its parent or any ancestor allows: each one's
    /// <c>max_depth</c> counts the levels that may exist below it.
    /// </summary>
    public void CheckDepth(CodexRecord parent)
    {
        var chain = new List<CodexRecord> { parent };
        chain.AddRange(records.Ancestors(parent));
        for (var levelsBelow = 1; levelsBelow <= chain.Count; levelsBelow++)
        {
            var ancestor = chain[levelsBelow - 1];
            var maxDepth = TaskFields.Int(ancestor.Fields, TaskFields.MaxDepth) ?? 0;
            if (levelsBelow > maxDepth)
                throw RpcException.InvalidParams(
                    $"A sub-task here would be {levelsBelow} level(s) below '{ancestor.Title}', whose max_depth is {maxDepth}: do this work yourself, or report that it needs a deeper tree");
        }
    }

    /// <summary>An instance named as codex://providers/&lt;slug&gt;, env:&lt;provider&gt; or an instance id; it must be usable.</summary>
    private ProviderInstance Instance(string? reference)
    {
        if (reference is null) throw RpcException.InvalidParams("providerRef: name the provider instance that runs the task (codex://providers/<slug>, env:<provider> or an instance id)");
        var instance = instances.Get(records.InstanceId(reference));
        return instance.Enabled ? instance : throw RpcException.InvalidParams($"Provider instance '{instance.DisplayName}' is disabled; enable it first");
    }

    private static string? Inherited(CodexRecord? parent, string field) => parent is null ? null : TaskFields.Text(parent.Fields, field);

    private static bool SameInstance(CodexRecord parent, ProviderInstance instance) =>
        TaskFields.Text(parent.Fields, TaskFields.ProviderRef) is { } parentRef && (parentRef == instance.Id || parentRef == instance.Ref);

    private static string TitleFrom(string goal)
    {
        var line = goal.Trim().Split('\n')[0].Trim();
        return line.Length <= 60 ? line : line[..57].TrimEnd() + "…";
    }
}
