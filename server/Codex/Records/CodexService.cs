using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Codex.Automation;
using Plue.Codex.Kinds;
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

    private readonly RecordKinds _kinds;

    public CodexService(CodexRepository repository, TemplateRegistry templates, HookEngine hooks, RecordKinds? kinds = null)
    {
        _repository = repository;
        _templates = templates;
        _hooks = hooks;
        _kinds = kinds ?? RecordKinds.None;
        _validator = new FieldValidator(r => r.IsPrompt ? null : repository.GetBySlug(r.Collection, r.Name), templates.Find);
    }

    /// <summary>How many slugs a create tries when others take them first (records made at the same moment).</summary>
    private const int SlugAttempts = 20;

    /// <summary>
    /// Held while a create picks a free slug and writes its record: the lowest free slug is the same for every record
    /// made under one title at the same moment (a script's burst of new chats), so unheld they kept taking it from each
    /// other until one ran out of tries. A record's write is one SQLite transaction, which is one at a time anyway.
    /// </summary>
    private readonly Lock _slugRace = new();

    /// <summary>Every committed change this process makes, as <c>codex/changed</c> tells it.</summary>
    public event Action<CodexChangedParams>? Changed;

    /// <summary>Creates a record; without a slug it gets a free one made from its title, tried again when another record takes it first.</summary>
    /// <param name="byFeature">The record's feature creates it (a chat on its checked model, a task the runner starts):
    /// what the kind keeps from callers (<see cref="IRecordKind.CheckCallerChange"/>) is its to write.</param>
    public CodexRecord Create(CodexDraft draft, bool byFeature = false)
    {
        if (draft.Slug is not null) return TryCreate(draft, byFeature) ?? throw SlugTaken(draft);
        for (var attempt = 1; ; attempt++)
        {
            var template = Template(draft.TemplateId);
            string slug;
            lock (_slugRace)
            {
                slug = FreeSlug(template.Collection, SlugFromTitle(template, draft.Title));
                if (TryCreate(draft with { Slug = slug }, byFeature, chosen: true) is { } record) return record;
            }
            if (attempt == SlugAttempts) throw SlugTaken(draft with { Slug = slug });
        }
    }

    /// <summary>
    /// Creates a record whose fields name its own slug (an instance's key is <c>vault://provider/slug</c>):
    /// <paramref name="draftFor"/> makes the draft for each free slug tried, until one is not taken first by another record.
    /// </summary>
    /// <param name="won">Run once the record has won its slug, before the create is told (an instance's key stored under
    /// it), so the view told shows it.</param>
    public CodexRecord CreateNamed(string templateId, string title, Func<string, CodexDraft> draftFor, Action<CodexRecord>? won = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            CodexDraft draft;
            lock (_slugRace)
            {
                draft = draftFor(SuggestSlug(templateId, title));
                if (TryCreate(draft, byFeature: false, chosen: true, won) is { } record) return record;
            }
            if (attempt == SlugAttempts) throw SlugTaken(draft);
        }
    }

    /// <summary>The record created, or null when its slug was taken (<paramref name="chosen"/>: by a record made meanwhile).</summary>
    private CodexRecord? TryCreate(CodexDraft draft, bool byFeature, bool chosen = false, Action<CodexRecord>? won = null)
    {
        var template = Template(draft.TemplateId);
        var kind = _kinds.For(template);
        var title = draft.Title.Trim();
        if (title.Length == 0) throw Invalid([new FieldError("title", "is required")]);
        var (fields, errors) = _validator.Validate(template, draft.Fields ?? []);
        var slug = draft.Slug!;
        if (!chosen && !Slugs.IsValid(slug)) errors = [.. errors, new FieldError("slug", "must be lower-case letters, digits, '-' and single dots between them, at most 60 characters")];
        else if (!chosen && kind?.SlugsHaveDots == false && slug.Contains('.', StringComparison.Ordinal))
            errors = [.. errors, new FieldError("slug", $"has a dot, which a {template.Id} slug may not have: it is joined to other names by dots; use '-' instead")];
        else if (!chosen && _repository.GetBySlug(template.Collection, slug) is not null) errors = [.. errors, new FieldError("slug", $"codex://{template.Collection}/{slug} is taken")];
        if (draft.ParentId is { } parentId && _repository.Get(parentId) is null) errors = [.. errors, new FieldError("parentId", $"no record has id {parentId}")];
        if (errors.Count == 0 && kind is not null) errors = [.. kind.Check(null, fields)];
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
            Tags = NormalizeTags([.. draft.Tags ?? [], .. TemplateTags(template, fields)]),
            ParentId = draft.ParentId,
            SpawnedBy = draft.SpawnedBy,
            Status = draft.Status,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!byFeature && kind?.CheckCallerChange(template, Unwritten(template, record), record).ToList() is { Count: > 0 } refused) throw Invalid(refused);
        if (!_repository.Write("create", null, record, null)) return null;
        won?.Invoke(record);
        kind?.Saved(null, record);
        Tell(record.Id, record, record);
        _hooks.Dispatch(template, null, record);
        return record;
    }

    /// <summary>
    /// What a caller's create starts from: the template's defaults and no status (a field the feature writes may be
    /// left out, or given as its default; a status the kind keeps for its feature is refused, as on an update).
    /// </summary>
    private static CodexRecord Unwritten(TemplateDefinition template, CodexRecord record) => record with
    {
        Status = null,
        Fields = new JsonObject(template.Fields.Where(f => f.Default is not null).Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Default!.DeepClone()))),
    };

    private RpcException SlugTaken(CodexDraft draft) => PlueErrors.Conflict(
        $"codex://{Template(draft.TemplateId).Collection}/{draft.Slug} was taken by another record while creating '{draft.Title.Trim()}'; try again, or choose another title");

    /// <summary>The slug <see cref="Create"/> would give a record of this template and title now (for callers that name things after it first).</summary>
    public string SuggestSlug(string templateId, string title)
    {
        var template = Template(templateId);
        return FreeSlug(template.Collection, SlugFromTitle(template, title));
    }

    private string SlugFromTitle(TemplateDefinition template, string title) =>
        Slugs.FromTitle(title.Trim(), template.Id, keepDots: _kinds.For(template)?.SlugsHaveDots ?? true);

    public CodexRecord Get(string id) => _repository.Get(id) ?? throw PlueErrors.NotFound($"No codex has id '{id}'");

    /// <summary>Applies a change to the version the caller read; a field set to null is removed.</summary>
    /// <param name="byFeature">The record's feature writes (a task's runner, a chat's model picker): what the kind
    /// keeps from callers (<see cref="IRecordKind.CheckCallerChange"/>) is its to write.</param>
    public CodexRecord Update(CodexChange change, bool byFeature = false)
    {
        var pending = Prepare(change);
        if (!byFeature && pending.Kind?.CheckCallerChange(pending.Template, pending.Current, pending.Updated).ToList() is { Count: > 0 } refused) throw Invalid(refused);
        return Commit(pending);
    }

    /// <summary>
    /// A caller's change (<c>codex/update</c>) whose kind may check it as its feature's own request would, which may
    /// wait (a chat's provider offering the model: <see cref="IRecordKind.CheckCallerChangeAsync"/>); written only if
    /// the record did not change meanwhile.
    /// </summary>
    public async Task<CodexRecord> UpdateAsync(CodexChange change, CancellationToken cancellationToken)
    {
        var pending = Prepare(change);
        if (pending.Kind is { } kind && await kind.CheckCallerChangeAsync(pending.Template, pending.Current, pending.Updated, cancellationToken).ConfigureAwait(false) is { Count: > 0 } refused)
            throw Invalid(refused);
        return Commit(pending);
    }

    /// <summary>An update checked by the template and the kind's rules, not yet written.</summary>
    private sealed record PendingUpdate(CodexRecord Current, TemplateDefinition Template, IRecordKind? Kind, CodexRecord Updated);

    private PendingUpdate Prepare(CodexChange change)
    {
        var current = Get(change.Id);
        if (current.Version != change.Version)
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed since you read it (you have version {change.Version}, it is at {current.Version}); reload and try again");
        var template = Template(current.TemplateId);
        var kind = _kinds.For(template);
        var input = current.Fields.DeepClone().AsObject();
        foreach (var (name, value) in change.Fields ?? [])
        {
            if (value is null) input.Remove(name);
            else input[name] = value.DeepClone();
        }
        var given = (change.Fields ?? []).Where(f => f.Value is not null).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var (fields, errors) = _validator.Validate(template, input, given);
        var title = change.Title?.Trim() ?? current.Title;
        if (title.Length == 0) errors = [.. errors, new FieldError("title", "is required")];
        if (errors.Count == 0 && kind is not null) errors = [.. kind.Check(current, fields)];
        if (errors.Count > 0) throw Invalid(errors);

        // The record's own tags (the caller's, else those it had that its template's field did not give) and its template's.
        var ownTags = change.Tags ?? [.. current.Tags.Except(TemplateTags(template, current.Fields), StringComparer.Ordinal)];
        var updated = current with
        {
            Title = title,
            Fields = fields,
            Tags = NormalizeTags([.. ownTags, .. TemplateTags(template, fields)]),
            Status = change.Status ?? current.Status,
            Version = current.Version + 1,
            UpdatedAt = Now(),
        };
        return new PendingUpdate(current, template, kind, updated);
    }

    private CodexRecord Commit(PendingUpdate pending)
    {
        var (current, template, kind, updated) = pending;
        if (!_repository.Write("update", current, updated, current.Version))
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed while saving; reload and try again");
        kind?.Saved(current, updated);
        Tell(updated.Id, updated, updated);
        _hooks.Dispatch(template, current, updated);
        return updated;
    }

    /// <summary>Deletes a record its kind lets go now (<see cref="IRecordKind.CheckDelete"/>); undo brings it back.</summary>
    public void Delete(string id)
    {
        var current = Get(id);
        CheckDelete(current);
        if (!_repository.Write("delete", current, null, current.Version))
            throw PlueErrors.Conflict($"Codex '{current.Title}' changed while deleting; reload and try again");
        KindOf(current)?.Deleted(current);
        Tell(current.Id, current, null);
    }

    /// <summary>
    /// The latest committed state of a record as <c>codex/changed</c> tells it (a deleted one from its history), with
    /// its kind's view as it is now: for changes another process made, and for a feature's live changes (a turn
    /// starting, a task's cost moving); null when no record ever had this id.
    /// </summary>
    public CodexChangedParams? ChangeOf(string id) => Latest(id) is { } latest ? Change(id, latest.Subject, latest.Record) : null;

    /// <summary>The record, or the last state of a deleted one (then <c>Record</c> is null).</summary>
    private (CodexRecord Subject, CodexRecord? Record)? Latest(string id)
    {
        if (_repository.Get(id) is { } record) return (record, record);
        return _repository.History(id, 1) is [{ } latest] && (latest.Before ?? latest.After) is { } last ? (last, null) : null;
    }

    private void Tell(string id, CodexRecord subject, CodexRecord? record) => Changed?.Invoke(Change(id, subject, record));

    private CodexChangedParams Change(string id, CodexRecord subject, CodexRecord? record) => new()
    {
        Id = id,
        Kind = _templates.Find(subject.TemplateId)?.Lineage[^1] ?? subject.TemplateId,
        TemplateId = subject.TemplateId,
        Record = record,
        Deleted = record is null,
        View = record is null ? null : KindOf(record)?.View(record),
    };

    private void CheckDelete(CodexRecord record)
    {
        if (KindOf(record)?.CheckDelete(record) is { } refusal) throw RpcException.InvalidParams(refusal);
    }

    /// <summary>
    /// An undo is a caller's change: one that would take back what the record's feature wrote (a task's result, a
    /// chat's model) is refused, naming the request that writes each field, as <c>codex/update</c> would refuse it.
    /// </summary>
    private void CheckUndo(CodexRecord current, CodexRecord restored)
    {
        if (_templates.Find(current.TemplateId) is not { } template || _kinds.For(template) is not { } kind) return;
        if (kind.CheckCallerChange(template, current, restored).ToList() is { Count: > 0 } refused)
            throw Invalid(refused, $"Cannot undo the latest change to '{current.Title}': its feature made it, and undo would change fields a caller does not write ({string.Join("; ", refused)}). " +
                "Change the fields you mean in its settings instead");
    }

    private IRecordKind? KindOf(CodexRecord record) => KindOf(record.TemplateId);

    /// <summary>The kind of a template's records; null when no feature declared one (or the template is gone).</summary>
    public IRecordKind? KindOf(string templateId) => _templates.Find(templateId) is { } template ? _kinds.For(template) : null;

    /// <summary>The values of the template's own <c>tags</c> field, which are the record's tags too (so <c>codex/list {tags}</c> finds them).</summary>
    private static IEnumerable<string> TemplateTags(TemplateDefinition template, JsonObject fields) =>
        template.Field("tags") is not null && fields["tags"] is JsonArray tags
            ? tags.OfType<JsonValue>().Where(t => t.GetValueKind() == JsonValueKind.String).Select(t => t.GetValue<string>())
            : [];

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
    /// restored. The undo is itself a change in history, so nothing is ever lost; an undo that removed the record
    /// (its create undone) is undone in turn, bringing it back with what its kind put away (a provider's key).
    /// </summary>
    public CodexRecord? Undo(string id)
    {
        var history = _repository.History(id);
        var entry = history.FirstOrDefault(e => !e.Undone && e.Action != "undo")
            ?? (history.FirstOrDefault() is { Action: "undo", Undone: false, Before: not null, After: null } removal ? removal : null)
            ?? throw RpcException.InvalidParams($"Nothing to undo for codex '{id}'");
        var current = _repository.Get(id);
        var now = Now();
        var nextVersion = Math.Max(current?.Version ?? 0, entry.Version) + 1;
        var restored = entry.Before is null ? null : entry.Before with { Version = nextVersion, UpdatedAt = now };

        if (restored is not null && current is null && _repository.GetBySlug(restored.Collection, restored.Slug) is not null)
            throw PlueErrors.Conflict($"Cannot restore {restored.Ref}: another record took that slug since");
        if (current is not null && restored is null) CheckDelete(current);
        else if (current is not null && restored is not null) CheckUndo(current, restored);
        var written = (current, restored) switch
        {
            (null, null) => true,
            (_, null) => _repository.Write("undo", current, null, current!.Version),
            (null, _) => _repository.Write("undo", null, restored, null),
            _ => _repository.Write("undo", current, restored, current.Version),
        };
        if (!written) throw PlueErrors.Conflict("The codex changed while undoing; try again");
        _repository.MarkUndone(entry.Seq);
        if (restored is null && current is not null) KindOf(current)?.Deleted(current);
        else if (restored is not null && current is null) KindOf(restored)?.Restored(restored);
        else if (restored is not null) KindOf(restored)?.Saved(current, restored);
        if ((restored ?? current) is { } subject) Tell(id, subject, restored);
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
        // A suffixed slug may be cut to fit: look at every slug that shares what is left of the wanted one.
        var taken = _repository.SlugsStartingWith(collection, wanted[..Math.Min(wanted.Length, Slugs.MaxLength - LongestSuffix)]);
        if (!taken.Contains(wanted)) return wanted;
        for (var n = 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = wanted[..Math.Min(wanted.Length, Slugs.MaxLength - suffix.Length)].TrimEnd('-', '.') + suffix;
            if (!taken.Contains(candidate)) return candidate;
        }
    }

    /// <summary>The longest "-n" a free slug gets before <see cref="SlugAttempts"/> and the records before it run out ("-99999").</summary>
    private const int LongestSuffix = 6;

    /// <summary>Millisecond precision: what the store keeps, so a record reads back as it was returned.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static List<string> NormalizeTags(IReadOnlyList<string>? tags) =>
        (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <param name="message">The error's message; null: the fields' errors.</param>
    private static RpcException Invalid(IReadOnlyList<FieldError> errors, string? message = null)
    {
        var data = new JsonObject { ["fields"] = new JsonObject(errors.GroupBy(e => e.Field).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)string.Join("; ", g.Select(e => e.Message))))) };
        return RpcException.InvalidParams(message ?? $"Invalid fields: {string.Join("; ", errors)}", JsonSerializer.SerializeToElement(data, PlueJsonContext.Default.JsonObject));
    }
}
