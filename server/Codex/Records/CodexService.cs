using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Codex.Automation;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Records;

/// <summary>
/// Everything done to codex records: validated against their template, versioned,
/// kept in history (so any change can be undone), and followed by the template's hooks.
/// </summary>
public sealed class CodexService
{
    private readonly CodexRepository _repository;
    private readonly TemplateRegistry _templates;
    private readonly HookEngine _hooks;
    private readonly FieldValidator _validator;

    public CodexService(CodexRepository repository, TemplateRegistry templates, HookEngine hooks)
    {
        _repository = repository;
        _templates = templates;
        _hooks = hooks;
        _validator = new FieldValidator(r => r.IsPrompt ? null : repository.GetBySlug(r.Collection, r.Name), templates.Find);
    }

    /// <summary>Hook runs started by the last changes; tests await them.</summary>
    public IReadOnlyList<Task> LastHookRuns { get; private set; } = [];

    public CodexRecord Create(CodexDraft draft)
    {
        var template = Template(draft.TemplateId);
        var title = draft.Title.Trim();
        if (title.Length == 0) throw Invalid([new FieldError("title", "is required")]);
        var (fields, errors) = _validator.Validate(template, draft.Fields ?? []);
        var slug = draft.Slug ?? FreeSlug(template.Collection, Slugs.FromTitle(title, template.Id));
        if (draft.Slug is not null)
        {
            if (!Slugs.IsValid(draft.Slug)) errors = [.. errors, new FieldError("slug", "must be lower-case letters, digits, '-' and single dots between them, at most 60 characters")];
            else if (_repository.GetBySlug(template.Collection, draft.Slug) is not null)
                errors = [.. errors, new FieldError("slug", $"codex://{template.Collection}/{draft.Slug} is taken")];
        }
        if (draft.ParentId is { } parentId && _repository.Get(parentId) is null) errors = [.. errors, new FieldError("parentId", $"no record has id {parentId}")];
        if (errors.Count > 0) throw Invalid(errors);

        var now = Now();
        var record = new CodexRecord
        {
            Id = Guid.CreateVersion7().ToString(),
            TemplateId = template.Id,
            Collection = template.Collection,
            Slug = slug,
            Title = title,
            Fields = fields,
            Tags = NormalizeTags(draft.Tags),
            ParentId = draft.ParentId,
            SpawnedBy = draft.SpawnedBy,
            Status = draft.Status,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!_repository.Write("create", null, record, null))
            throw PlueErrors.Conflict($"codex://{template.Collection}/{slug} was taken while creating; try again");
        LastHookRuns = _hooks.Dispatch(template, null, record);
        return record;
    }

    /// <summary>The slug <see cref="Create"/> would give a record of this template and title now (for callers that name things after it first).</summary>
    public string SuggestSlug(string templateId, string title)
    {
        var template = Template(templateId);
        return FreeSlug(template.Collection, Slugs.FromTitle(title.Trim(), template.Id));
    }

    public CodexRecord Get(string id) => _repository.Get(id) ?? throw PlueErrors.NotFound($"No codex has id '{id}'");

    /// <summary>Applies a change to the version the caller read; a field set to null is removed.</summary>
    public CodexRecord Update(CodexChange change)
    {
        var current = Get(change.Id);
        if (current.Version != change.Version)
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed since you read it (you have version {change.Version}, it is at {current.Version}); reload and try again");
        var template = Template(current.TemplateId);
        var input = current.Fields.DeepClone().AsObject();
        foreach (var (name, value) in change.Fields ?? [])
        {
            if (value is null) input.Remove(name);
            else input[name] = value.DeepClone();
        }
        var (fields, errors) = _validator.Validate(template, input);
        var title = change.Title?.Trim() ?? current.Title;
        if (title.Length == 0) errors = [.. errors, new FieldError("title", "is required")];
        if (errors.Count > 0) throw Invalid(errors);

        var updated = current with
        {
            Title = title,
            Fields = fields,
            Tags = change.Tags is null ? current.Tags : NormalizeTags(change.Tags),
            Status = change.Status ?? current.Status,
            Version = current.Version + 1,
            UpdatedAt = Now(),
        };
        if (!_repository.Write("update", current, updated, current.Version))
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed while saving; reload and try again");
        LastHookRuns = _hooks.Dispatch(template, current, updated);
        return updated;
    }

    public void Delete(string id)
    {
        var current = Get(id);
        if (!_repository.Write("delete", current, null, current.Version))
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed while deleting; reload and try again");
    }

    public CodexPage List(CodexQuery query)
    {
        if (query.Limit is < 1 or > 1000) throw RpcException.InvalidParams("limit must be between 1 and 1000");
        // A template filter includes the templates that inherit from it: "task" lists every kind of task.
        var templates = query.TemplateIds?.SelectMany(id => _templates.Current.Templates.Values.Where(t => t.IsA(id)).Select(t => t.Id).Append(id)).Distinct().ToList();
        return _repository.List(query with { TemplateIds = templates });
    }

    public IReadOnlyList<HistoryEntry> History(string id)
    {
        var entries = _repository.History(id);
        return entries.Count > 0 ? entries : throw PlueErrors.NotFound($"No codex has id '{id}', and none ever had");
    }

    /// <summary>
    /// Undoes the latest change not yet undone: a create is removed, an update or delete
    /// restored. The undo is itself a change in history, so nothing is ever lost.
    /// </summary>
    public CodexRecord? Undo(string id)
    {
        var entry = _repository.History(id).FirstOrDefault(e => !e.Undone && e.Action != "undo")
            ?? throw RpcException.InvalidParams($"Nothing to undo for codex '{id}'");
        var current = _repository.Get(id);
        var now = Now();
        var nextVersion = Math.Max(current?.Version ?? 0, entry.Version) + 1;
        var restored = entry.Before is null ? null : entry.Before with { Version = nextVersion, UpdatedAt = now };

        if (restored is not null && current is null && _repository.GetBySlug(restored.Collection, restored.Slug) is not null)
            throw PlueErrors.Conflict($"Cannot restore {restored.Ref}: another record took that slug since");
        var written = (current, restored) switch
        {
            (null, null) => true,
            (_, null) => _repository.Write("undo", current, null, current!.Version),
            (null, _) => _repository.Write("undo", null, restored, null),
            _ => _repository.Write("undo", current, restored, current.Version),
        };
        if (!written) throw PlueErrors.Conflict("The codex changed while undoing; try again");
        _repository.MarkUndone(entry.Seq);
        return restored;
    }

    /// <summary>The usable template with this id, or null.</summary>
    public TemplateDefinition? FindTemplate(string id) => _templates.Find(id);

    /// <summary>The fields in the names the template <paramref name="templateId"/> uses (<see cref="FieldAliases"/>).</summary>
    public JsonObject InTemplateNames(string templateId, JsonObject fields, IReadOnlyDictionary<string, string?> aliases) =>
        FieldAliases.InTemplateNames(_templates.Find(templateId), fields, aliases);

    /// <summary>Whether the record's template is <paramref name="templateId"/> or inherits from it.</summary>
    public bool IsA(CodexRecord record, string templateId) => _templates.Find(record.TemplateId)?.IsA(templateId) ?? record.TemplateId == templateId;

    /// <summary>The record a codex:// reference names (prompts are resolved by the prompt library).</summary>
    public CodexRecord Resolve(CodexReference reference) =>
        _repository.GetBySlug(reference.Collection, reference.Name) ?? throw PlueErrors.NotFound($"{reference} does not exist");

    private TemplateDefinition Template(string id)
    {
        if (_templates.Find(id) is { } template) return template;
        var broken = _templates.Current.Files.FirstOrDefault(f => f.Id == id && f.Problems.Count > 0);
        throw RpcException.InvalidParams(broken is null
            ? $"Unknown template '{id}'"
            : $"Template '{id}' cannot be used: {broken.Problems[0]}");
    }

    private string FreeSlug(string collection, string wanted)
    {
        var taken = _repository.SlugsStartingWith(collection, wanted);
        if (!taken.Contains(wanted)) return wanted;
        for (var n = 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = wanted[..Math.Min(wanted.Length, Slugs.MaxLength - suffix.Length)] + suffix;
            if (!taken.Contains(candidate)) return candidate;
        }
    }

    /// <summary>Millisecond precision: what the store keeps, so a record reads back as it was returned.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static List<string> NormalizeTags(IReadOnlyList<string>? tags) =>
        (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static RpcException Invalid(IReadOnlyList<FieldError> errors)
    {
        var data = new JsonObject { ["fields"] = new JsonObject(errors.GroupBy(e => e.Field).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)string.Join("; ", g.Select(e => e.Message))))) };
        return RpcException.InvalidParams($"Invalid fields: {string.Join("; ", errors)}", JsonSerializer.SerializeToElement(data, PlueJsonContext.Default.JsonObject));
    }
}
