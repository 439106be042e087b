using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary><c>templates/get</c> result: the template with inheritance applied.</summary>
public sealed record TemplateDetail
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int Version { get; init; }
    /// <summary>The version as written: "1.0.0" or "1".</summary>
    public required string VersionText { get; init; }
    /// <summary>The template's <c>metadata</c> (icon, color, ...), its parent's when it has none.</summary>
    public JsonObject? Metadata { get; init; }
    public string? ParentTemplate { get; init; }
    public required string Collection { get; init; }
    public required string Source { get; init; }
    public required string File { get; init; }
    /// <summary>
    /// The record kind whose feature keeps this template's records: the template id that kind declared, the nearest in
    /// the lineage (<c>task</c> for every task template, a user's too). Null when no feature declared a kind for it.
    /// </summary>
    public string? Kind { get; init; }
    public required IReadOnlyList<string> Lineage { get; init; }
    public required IReadOnlyList<FieldDto> Fields { get; init; }
    public required IReadOnlyList<HookDto> Hooks { get; init; }
}
