using System.Text.Json.Nodes;
using Plue.Codex.Kinds;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// Makes task records, for the user (<c>task/start</c>) and for <c>spawn_task</c>: the template must be a task
/// template, the provider an instance that exists and is enabled. The instance and model come from, in order: what the
/// caller named, the template's defaults (<c>provider_ref</c>, <c>model_id</c>), the parent's; the model must be one the
/// instance offers unless <c>allowUnlisted</c>. A sub-task inherits its parent's <c>auto_approve</c> (the user's choice
/// for the tree) and may only narrow it, and where its parent runs (a container, its engine and limits) likewise. The template's validation keeps <c>available_tools</c> within a locked list.
/// </summary>
public sealed class TaskCreation(TaskRecords records, InstanceService instances, InstanceChecks checks, Containers.TaskContainers containers)
{
    public sealed record Request
    {
        public required string TemplateId { get; init; }
        public string? Title { get; init; }
        public required string Goal { get; init; }
        /// <summary>Files and selections the goal's text is followed by (see <see cref="GoalWith"/>).</summary>
        public IReadOnlyList<Attachment> Attachments { get; init; } = [];
        public string? ProviderRef { get; init; }
        public string? ModelId { get; init; }
        public CodexRecord? Parent { get; init; }
        public JsonObject? Fields { get; init; }
        public bool AllowUnlisted { get; init; }
    }

    public async Task<CodexRecord> CreateAsync(Request request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Goal)) throw RpcException.InvalidParams("prompt: say what the task must achieve");
        if (records.TaskTemplate(request.TemplateId) is not { } template)
            throw RpcException.InvalidParams($"templateId: '{request.TemplateId}' is not a task template; use task, or a template whose parent_template is task");
        var fields = request.Fields?.DeepClone().AsObject() ?? [];
        // The fields the task template marks feature-written (the runner's: result, status_reason, run_owner…).
        var written = FeatureWritten.Names(template).Where(fields.ContainsKey).ToList();
        if (written.Count > 0) throw RpcException.InvalidParams($"fields: {string.Join(", ", written)} are written by the runner, not given");

        var parent = request.Parent;
        var given = TaskRecordFields.Of(fields);
        var parentFields = parent is null ? null : TaskRecordFields.Of(parent.Fields);
        var templateRef = Default(template, TaskFields.ProviderRef);
        var instance = Instance(request.ProviderRef ?? given.ProviderRef ?? templateRef ?? parentFields?.ProviderRef);
        // The template's model goes with its instance (or with any, when it names none); the parent's with the parent's.
        var templateModel = templateRef is null || Names(templateRef, instance) ? Default(template, TaskFields.ModelId) : null;
        var parentModel = parentFields?.ProviderRef is { } parentRef && Names(parentRef, instance) ? parentFields.ModelId : null;
        var model = request.ModelId ?? given.ModelId ?? templateModel ?? parentModel ?? instance.DefaultModel
            ?? throw RpcException.InvalidParams($"modelId: name the model; instance '{instance.DisplayName}' has no default model");
        if (parent is null) await checks.RequireOfferedAsync(instance.Id, model, request.AllowUnlisted, cancellationToken).ConfigureAwait(false);
        else await checks.RequireOfferedAsync(instance.Id, model, request.AllowUnlisted, cancellationToken, "leave model_id out to use the template's or your own").ConfigureAwait(false);

        fields[TaskFields.Goal] = GoalWith(request.Goal, request.Attachments);
        fields[TaskFields.ProviderRef] = instance.FromEnvironment ? instance.Id : instance.Ref;
        fields[TaskFields.ModelId] = model;
        fields[TaskFields.RunOwner] = TranscriptOwner.Current;
        if (parent is not null)
        {
            CheckDepth(parent);
            containers.Narrow(parent, fields); // in a container tree: a container too, on its engine, within its limits
            // The user's choice for the tree: a sub-task runs unasked only what its parent does (it may ask for more, never
            // skip more), whether it names its own list or its template has a default one.
            if (parent.Fields[TaskFields.AutoApprove] is JsonArray inherited)
            {
                var parentSet = inherited.OfType<JsonValue>().Select(v => v.ToString()).ToHashSet(StringComparer.Ordinal);
                fields[TaskFields.AutoApprove] = fields[TaskFields.AutoApprove] is JsonArray own
                    ? new JsonArray([.. own.OfType<JsonValue>().Select(v => v.ToString()).Where(parentSet.Contains).Select(t => (JsonNode)JsonValue.Create(t))])
                    : inherited.DeepClone();
            }
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
            var maxDepth = TaskRecordFields.Of(ancestor.Fields).MaxDepth ?? 0;
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

    private bool Names(string reference, ProviderInstance instance)
    {
        if (reference == instance.Id || reference == instance.Ref) return true;
        try
        {
            return records.InstanceId(reference) == instance.Id;
        }
        catch (RpcException)
        {
            return false; // a reference to an instance since removed names none
        }
    }

    private static string? Default(Codex.Templates.TemplateDefinition template, string field) =>
        template.Field(field)?.Default is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    /// <summary>
    /// The goal as the model reads it: its text, then each attached file or selection as a chat's message shows it
    /// (<see cref="AttachedFile.Text"/>). Kept in the goal field, so a resumed or recovered task has them too.
    /// </summary>
    private static string GoalWith(string goal, IReadOnlyList<Attachment> attachments)
    {
        if (attachments.FirstOrDefault(a => a.Kind == AttachmentKind.Image) is { } image)
            throw RpcException.InvalidParams($"attachments: {image.Path} is an image; a task's goal takes files and selections, so describe the image in words or attach its source");
        if (attachments.FirstOrDefault(a => a.Kind is AttachmentKind.Url or AttachmentKind.Codebase) is { } context)
            throw RpcException.InvalidParams($"attachments: @{(context.Kind == AttachmentKind.Url ? "url" : "codebase")} {context.Path} is for chats; a task's goal takes files and selections, "
                + "so attach the files themselves, or name the page or the words in the goal for the task to look up");
        return string.Join("\n\n", attachments.Select(a => AttachedFile.Text(new FilePart
        {
            Id = "", Path = a.Path, Content = a.Content, Language = a.Language, Range = a.Range,
        })).Prepend(goal));
    }

    private static string TitleFrom(string goal)
    {
        var line = goal.Trim().Split('\n')[0].Trim();
        return line.Length <= 60 ? line : line[..57].TrimEnd() + "…";
    }
}
