namespace Plue.Codex.Templates;

/// <summary>
/// Applies <c>parent_template</c> inheritance and the checks that need the whole set:
/// missing parents, cycles, locked overrides, conditionals and hooks naming missing fields.
/// </summary>
public static class TemplateResolver
{
    private static readonly HashSet<string> s_recordMembers = ["status", "title", "tags"];

    /// <summary>The <c>template_filter</c> of a reference that names prompt files (codex://prompts/&lt;name&gt;.md), not records.</summary>
    public const string PromptFilter = "markdown";

    public static (Dictionary<string, TemplateDefinition> Templates, List<TemplateProblem> Problems) Resolve(IReadOnlyDictionary<string, RawTemplate> raws)
    {
        var resolved = new Dictionary<string, TemplateDefinition>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<TemplateProblem>();

        foreach (var id in raws.Keys.Order(StringComparer.Ordinal)) ResolveOne(id, []);
        return (resolved, problems);

        // Returns null when the template (or an ancestor) is unusable.
        TemplateDefinition? ResolveOne(string id, List<string> path)
        {
            if (resolved.TryGetValue(id, out var done)) return done;
            if (failed.Contains(id)) return null;
            var raw = raws[id];
            var errors = new List<TemplateProblem>();

            TemplateDefinition? parent = null;
            if (raw.ParentTemplate is { } parentId)
            {
                if (path.Contains(parentId, StringComparer.Ordinal) || parentId == id)
                    errors.Add(Problem(raw, "/parent_template", $"inheritance cycle: {string.Join(" -> ", path.Append(id).Append(parentId))}"));
                else if (!raws.ContainsKey(parentId))
                    errors.Add(Problem(raw, "/parent_template", $"parent template '{parentId}' does not exist"));
                else if ((parent = ResolveOne(parentId, [.. path, id])) is null)
                    errors.Add(Problem(raw, "/parent_template", $"parent template '{parentId}' has errors"));
            }

            var fields = Inherit(raw, parent, id, errors);
            CheckNames(raw, fields, raws, errors, problems);
            problems.AddRange(errors);
            if (errors.Count > 0)
            {
                failed.Add(id);
                return null;
            }
            var definition = Definition(id, raw, parent, fields);
            resolved[id] = definition;
            return definition;
        }
    }

    /// <summary>The resolved template: its own values, else its parent's; the parent's hooks before its own.</summary>
    private static TemplateDefinition Definition(string id, RawTemplate raw, TemplateDefinition? parent, List<FieldSpec> fields) => new()
    {
        Id = id,
        Name = raw.Name,
        Description = raw.Description,
        Version = raw.Version,
        VersionText = raw.VersionText,
        Metadata = raw.Metadata ?? parent?.Metadata,
        ParentTemplate = raw.ParentTemplate,
        Collection = raw.Collection ?? parent?.Collection ?? id,
        Fields = fields,
        Hooks = [.. parent?.Hooks ?? [], .. raw.Hooks],
        Source = raw.Source,
        FilePath = raw.FilePath,
        Lineage = [id, .. parent?.Lineage ?? []],
    };

    /// <summary>The parent's fields with the template's own over them (a locked one cannot be overridden: an error).</summary>
    private static List<FieldSpec> Inherit(RawTemplate raw, TemplateDefinition? parent, string id, List<TemplateProblem> errors)
    {
        var fields = parent?.Fields.ToList() ?? [];
        foreach (var field in raw.Fields)
        {
            var index = fields.FindIndex(f => f.Name == field.Name);
            if (index < 0)
            {
                fields.Add(field);
                continue;
            }
            if (fields[index].Locked)
            {
                errors.Add(Problem(raw, $"/fields/{field.Name}", $"field '{field.Name}' is locked by '{parent!.Lineage.First(a => a != id)}' and cannot be overridden"));
                continue;
            }
            fields[index] = field;
        }
        return fields;
    }

    /// <summary>Conditionals and hooks must name fields the template has (errors); a template filter, a template that exists (a warning).</summary>
    private static void CheckNames(RawTemplate raw, List<FieldSpec> fields, IReadOnlyDictionary<string, RawTemplate> raws, List<TemplateProblem> errors, List<TemplateProblem> problems)
    {
        var names = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var field in raw.Fields)
        {
            if (field.Conditional is { } c && !names.Contains(c.Field))
                errors.Add(Problem(raw, $"/fields/{field.Name}/conditional", $"field '{field.Name}': conditional names missing field '{c.Field}'"));
            foreach (var filter in field.TemplateFilter ?? (field.Items?.TemplateFilter ?? []))
                if (!raws.ContainsKey(filter) && filter != PromptFilter)
                    problems.Add(Problem(raw, $"/fields/{field.Name}/template_filter", $"field '{field.Name}': template_filter names unknown template '{filter}'") with { IsWarning = true });
        }
        for (var i = 0; i < raw.Hooks.Count; i++)
        {
            var hook = raw.Hooks[i];
            if (!names.Contains(hook.Field))
                errors.Add(Problem(raw, $"/automation/hooks/{i}/field", $"hook {i + 1}: field '{hook.Field}' does not exist"));
            foreach (var condition in hook.Conditions.Where(c => !names.Contains(FieldPath.Root(c.Field)) && !s_recordMembers.Contains(c.Field)))
                errors.Add(Problem(raw, $"/automation/hooks/{i}/conditions", $"hook {i + 1}: condition names missing field '{condition.Field}'"));
        }

    }

    private static TemplateProblem Problem(RawTemplate raw, string pointer, string message)
    {
        var (line, column) = raw.Locate(pointer);
        return new TemplateProblem(raw.FilePath, line, column, message);
    }
}
