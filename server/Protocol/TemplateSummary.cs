using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary><c>templates/list</c> item: a template file, usable or not.</summary>
public sealed record TemplateSummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int Version { get; init; }
    public string? ParentTemplate { get; init; }
    public required string Source { get; init; }
    public required string File { get; init; }
    /// <summary>False when a file of a later source replaces this one.</summary>
    public required bool Active { get; init; }
    /// <summary><c>file:line:column: message</c> for each problem; empty when the template is fine.</summary>
    public required IReadOnlyList<string> Problems { get; init; }
    /// <summary>The same problems with their positions and severity, for an editor's diagnostics.</summary>
    public required IReadOnlyList<TemplateDiagnostic> Diagnostics { get; init; }
    public required bool Usable { get; init; }
    /// <summary>The version as written: "1.0.0" or "1".</summary>
    public required string VersionText { get; init; }
    /// <summary>The template's <c>metadata</c> as written (icon, color, ...); null when it has none.</summary>
    public JsonObject? Metadata { get; init; }
    /// <summary>
    /// The record kind whose feature keeps this template's records: the template id that kind declared, the nearest in
    /// the lineage (<c>task</c> for every task template, a user's too). Null when the template is not usable or no
    /// feature declared a kind for it (its records are plain records).
    /// </summary>
    public string? Kind { get; init; }
}
