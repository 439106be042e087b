using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Codex.Templates;

/// <summary>One immutable load of every template: the usable ones, and every file with its problems.</summary>
public sealed record TemplateSet(IReadOnlyDictionary<string, TemplateDefinition> Templates, IReadOnlyList<TemplateFile> Files)
{
    public static TemplateSet Empty { get; } = new(new Dictionary<string, TemplateDefinition>(), []);

    /// <summary>
    /// A number field's default, for a record written before its template had the field (or a view with no record):
    /// from <paramref name="templateId"/> in force (a user's template, its lineage merged), else the shipped
    /// <paramref name="shippedId"/> file (a user's template may leave the default out), so the template file is the one
    /// place a default is written. Throws when neither has a number there: the shipped file is broken.
    /// </summary>
    public decimal DefaultNumber(string templateId, string shippedId, string field)
    {
        var spec = Templates.GetValueOrDefault(templateId)?.Field(field) is { Default: not null } inForce ? inForce
            : Files.FirstOrDefault(f => f.Id == shippedId && f.Source == "shipped")?.Raw?.Fields.FirstOrDefault(f => f.Name == field);
        return spec?.Default is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the shipped {shippedId} template has no number as the default of {field}");
    }
}

/// <summary>A template file as loaded; <see cref="Active"/> is false when a later source replaced it.</summary>
public sealed record TemplateFile(string Id, string Source, string Path, RawTemplate? Raw, IReadOnlyList<TemplateProblem> Problems, bool Active);
