using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// Task codices: reading them (only records of the task family), their parent links (<c>spawned_by</c>), and the
/// runner's writes, retried when a client changed the record meanwhile.
/// </summary>
public sealed class TaskRecords(CodexService codex, TemplateRegistry templates)
{
    public CodexRecord Get(string id)
    {
        var record = codex.Get(id);
        return codex.IsA(record, TaskFields.BaseTemplate) ? record : throw PlueErrors.NotFound($"'{id}' is not an agent task");
    }

    public CodexRecord? Find(string id)
    {
        try
        {
            return Get(id);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.NotFound)
        {
            return null;
        }
    }

    /// <summary>The runner's create: the fields it alone writes (its run owner) are its to give.</summary>
    public CodexRecord Create(CodexDraft draft) => codex.Create(draft, byFeature: true);

    /// <summary>Every task, or the children of one, oldest first; with <paramref name="limit"/>, a page of that many after the task <paramref name="after"/>.</summary>
    public IReadOnlyList<CodexRecord> List(string? spawnedBy = null, string? status = null, int? limit = null, string? after = null) =>
        CodexPaging.Read(codex.List, new CodexQuery
        {
            TemplateIds = [TaskFields.BaseTemplate], SpawnedBy = spawnedBy, Status = status, Sort = CodexSort.CreatedAsc,
            Limit = CodexPaging.Limit(limit), AfterId = after,
        }, limit is null);

    public IReadOnlyList<CodexRecord> Children(string id) => List(spawnedBy: id);

    /// <summary>The task's parent, grandparent, ... up to the task the user started.</summary>
    public IReadOnlyList<CodexRecord> Ancestors(CodexRecord task)
    {
        var chain = new List<CodexRecord>();
        for (var at = task; at.SpawnedBy is { } parentId && chain.Count < 64;)
        {
            if (Find(parentId) is not { } parent) break;
            chain.Add(parent);
            at = parent;
        }
        return chain;
    }

    /// <summary>
    /// Applies a change to the latest version: a client may have edited the record since the runner read it,
    /// and the runner's own facts (status, result) must still land.
    /// </summary>
    public CodexRecord Update(string id, string? status = null, JsonObject? fields = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = Get(id);
            try
            {
                return codex.Update(new CodexChange { Id = id, Version = current.Version, Status = status, Fields = fields?.DeepClone().AsObject() }, byFeature: true);
            }
            catch (RpcException e) when (e.Code == PlueErrorCodes.Conflict && attempt < 5)
            {
            }
        }
    }

    /// <summary>The instance id a task's <c>provider_ref</c> names: <c>env:&lt;provider&gt;</c> as it is, a record's id otherwise.</summary>
    public string InstanceId(CodexRecord task)
    {
        var reference = TaskRecordFields.Of(task.Fields).ProviderRef
            ?? throw RpcException.InvalidParams($"Task '{task.Title}' has no provider_ref: set the provider instance that runs it");
        return InstanceId(reference);
    }

    /// <summary>The instance id for codex://providers/&lt;slug&gt; (the record's id); env:&lt;provider&gt; and ids are ids already.</summary>
    public string InstanceId(string reference) =>
        reference.StartsWith(CodexReference.Scheme, StringComparison.Ordinal) ? codex.Resolve(CodexReference.Parse(reference)).Id : reference;

    /// <summary>The template if it is a task template (the base or one inheriting from it, user templates too); null otherwise.</summary>
    public TemplateDefinition? TaskTemplate(string templateId) =>
        templates.Find(templateId) is { } template && template.IsA(TaskFields.BaseTemplate) ? template : null;
}
