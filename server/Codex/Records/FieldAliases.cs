using System.Text.Json.Nodes;
using Plue.Codex.Templates;

namespace Plue.Codex.Records;

/// <summary>
/// Features read and write records by the shipped templates' field names; a user's template may name the same
/// thing otherwise (the design notes' <c>provider_type</c> for <c>catalog_provider_id</c>). An alias table maps a
/// feature's name to the other name it accepts; a null alias means the template may lack the field altogether.
/// </summary>
public static class FieldAliases
{
    /// <summary>The value under the feature's name, else under its alias.</summary>
    public static JsonNode? Read(JsonObject fields, string name, IReadOnlyDictionary<string, string?> aliases) =>
        fields[name] ?? (aliases.GetValueOrDefault(name) is { } alias ? fields[alias] : null);

    /// <summary>
    /// The fields in the template's own names: a field the template lacks is renamed to its alias when the
    /// template has that, and dropped when its alias is null. Anything else is left for validation to name.
    /// </summary>
    public static JsonObject InTemplateNames(TemplateDefinition? template, JsonObject fields, IReadOnlyDictionary<string, string?> aliases)
    {
        if (template is null) return fields;
        var renamed = new JsonObject();
        foreach (var (name, value) in fields)
        {
            var copy = value?.DeepClone();
            if (template.Field(name) is not null || !aliases.TryGetValue(name, out var alias)) renamed[name] = copy;
            else if (alias is not null && template.Field(alias) is not null) renamed[alias] = copy;
            else if (alias is not null) renamed[name] = copy;
        }
        return renamed;
    }
}
