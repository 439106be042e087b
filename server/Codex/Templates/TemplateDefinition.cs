namespace Plue.Codex.Templates;

/// <summary>A template with inheritance applied: what records are validated against.</summary>
public sealed record TemplateDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public int Version { get; init; } = 1;
    /// <summary>The version as written: "1.0.0" or "1".</summary>
    public string VersionText { get; init; } = "1";
    /// <summary>Free-form facts for clients (icon, color), as written.</summary>
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }
    public string? ParentTemplate { get; init; }
    /// <summary>The codex:// collection its records live in.</summary>
    public required string Collection { get; init; }
    public required IReadOnlyList<FieldSpec> Fields { get; init; }
    public IReadOnlyList<HookSpec> Hooks { get; init; } = [];
    /// <summary>shipped, home or workspace.</summary>
    public required string Source { get; init; }
    public required string FilePath { get; init; }
    /// <summary>This template's id and its parents', nearest first.</summary>
    public required IReadOnlyList<string> Lineage { get; init; }

    public FieldSpec? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Whether this template is <paramref name="templateId"/> or inherits from it.</summary>
    public bool IsA(string templateId) => Lineage.Contains(templateId, StringComparer.Ordinal);
}
