using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Codex.Templates;

/// <summary>Maps templates to their wire shapes, in one place.</summary>
internal static class TemplateDtos
{
    public static TemplateSummary Summary(TemplateFile file, TemplateSet set) => new()
    {
        Id = file.Id,
        Name = file.Raw?.Name ?? file.Id,
        Description = file.Raw?.Description ?? "",
        Version = file.Raw?.Version ?? 0,
        ParentTemplate = file.Raw?.ParentTemplate,
        Source = file.Source,
        File = file.Path,
        Active = file.Active,
        Problems = [.. file.Problems.Select(p => p.ToString())],
        Diagnostics = [.. file.Problems.Select(Diagnostic)],
        Usable = file.Active && set.Templates.TryGetValue(file.Id, out var t) && t.FilePath == file.Path,
        VersionText = file.Raw?.VersionText ?? "",
        Metadata = (set.Templates.GetValueOrDefault(file.Id) is { } usable && usable.FilePath == file.Path ? usable.Metadata : file.Raw?.Metadata)?.DeepClone().AsObject(),
    };

    public static TemplateDiagnostic Diagnostic(TemplateProblem p) => new()
    {
        File = p.File,
        Line = p.Line,
        Column = p.Column,
        Severity = p.IsWarning ? "warning" : "error",
        Message = p.Message,
    };

    public static TemplateDetail Detail(TemplateDefinition t) => new()
    {
        Id = t.Id,
        Name = t.Name,
        Description = t.Description,
        Version = t.Version,
        VersionText = t.VersionText,
        Metadata = t.Metadata?.DeepClone().AsObject(),
        ParentTemplate = t.ParentTemplate,
        Collection = t.Collection,
        Source = t.Source,
        File = t.FilePath,
        Lineage = t.Lineage,
        Fields = [.. t.Fields.Select(Field)],
        Hooks = [.. t.Hooks.Select(h => new HookDto
        {
            Trigger = h.Trigger,
            Field = h.Field,
            Action = h.Action,
            Conditions = [.. h.Conditions.Select(c => new JsonObject { ["field"] = c.Field, [c.Operator] = c.Operand?.DeepClone() })],
        })],
    };

    private static FieldDto Field(FieldSpec f) => new()
    {
        Name = f.Name,
        Type = FieldTypes.Name(f.Type),
        Label = f.Label,
        Description = f.Description,
        Placeholder = f.Placeholder,
        Required = f.Required,
        Default = f.Default?.DeepClone(),
        Locked = f.Locked,
        Conditional = f.Conditional is { } c ? new JsonObject { ["field"] = c.Field, ["value"] = c.Value?.DeepClone() } : null,
        Min = f.Min,
        Max = f.Max,
        Step = f.Step,
        MaxLength = f.MaxLength,
        Pattern = f.Pattern,
        Options = f.Options?.Select(o => new OptionDto(o.Value, o.Label)).ToList(),
        Items = f.Items is { } items ? Field(items) : null,
        MinItems = f.MinItems,
        MaxItems = f.MaxItems,
        TemplateFilter = f.TemplateFilter,
        Properties = f.Properties?.Select(Field).ToList(),
        Auto = f.Auto,
        Role = f.Role,
    };
}
