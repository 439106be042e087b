namespace Plue.Codex.Templates;

/// <summary>The kinds of value a template field holds (docs/TEMPLATES.md).</summary>
public enum FieldType
{
    Text,
    Textarea,
    Number,
    Boolean,
    Select,
    Url,
    Array,
    CodexReference,
    FileReference,
    /// <summary>An object whose members are the field's <c>properties</c>.</summary>
    Object,
    /// <summary>An ISO 8601 date and time; <c>auto</c> fills it with the time of writing.</summary>
    Datetime,
}

public static class FieldTypes
{
    private static readonly Dictionary<string, FieldType> s_byName = new(StringComparer.Ordinal)
    {
        ["text"] = FieldType.Text,
        ["textarea"] = FieldType.Textarea,
        ["number"] = FieldType.Number,
        ["boolean"] = FieldType.Boolean,
        ["select"] = FieldType.Select,
        ["url"] = FieldType.Url,
        ["array"] = FieldType.Array,
        ["codex_reference"] = FieldType.CodexReference,
        ["file_reference"] = FieldType.FileReference,
        ["object"] = FieldType.Object,
        ["datetime"] = FieldType.Datetime,
    };

    public static IEnumerable<string> Names => s_byName.Keys;

    public static bool TryParse(string name, out FieldType type) => s_byName.TryGetValue(name, out type);

    public static string Name(FieldType type) => s_byName.First(p => p.Value == type).Key;
}
