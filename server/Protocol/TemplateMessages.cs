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
}

/// <summary>One problem in a template file: 1-based line and column, <c>error</c> (the template cannot be used) or <c>warning</c>.</summary>
public sealed record TemplateDiagnostic
{
    public required string File { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
    public required string Severity { get; init; }
    public required string Message { get; init; }
}

/// <summary><c>templates/validate</c> params: a template file's path and its text, saved or not.</summary>
public sealed record TemplateValidateParams
{
    public required string File { get; init; }
    public required string Text { get; init; }
}

/// <summary><c>templates/validate</c> result: what loading that text would report, in that file and in the templates that inherit from it.</summary>
public sealed record TemplateValidateResult
{
    public required IReadOnlyList<TemplateDiagnostic> Diagnostics { get; init; }
    /// <summary>The template's id when the text would load, else null.</summary>
    public string? Id { get; init; }
}

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
    public required IReadOnlyList<string> Lineage { get; init; }
    public required IReadOnlyList<FieldDto> Fields { get; init; }
    public required IReadOnlyList<HookDto> Hooks { get; init; }
}

/// <summary>A field spec on the wire: the template file's own names (type "codex_reference", ...).</summary>
public sealed record FieldDto
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public string? Placeholder { get; init; }
    public bool Required { get; init; }
    public JsonNode? Default { get; init; }
    public bool Locked { get; init; }
    public JsonObject? Conditional { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Step { get; init; }
    public int? MaxLength { get; init; }
    public string? Pattern { get; init; }
    public IReadOnlyList<OptionDto>? Options { get; init; }
    public FieldDto? Items { get; init; }
    public int? MinItems { get; init; }
    public int? MaxItems { get; init; }
    public IReadOnlyList<string>? TemplateFilter { get; init; }
    /// <summary>An object field's members.</summary>
    public IReadOnlyList<FieldDto>? Properties { get; init; }
    /// <summary>A datetime the sidecar sets to the time of writing when absent.</summary>
    public bool Auto { get; init; }
    /// <summary>What the field is for (a secret, a model id, written by its feature); absent for a plain field.</summary>
    public FieldRole? Role { get; init; }
}

public sealed record OptionDto(string Value, string Label);

public sealed record HookDto
{
    public required string Trigger { get; init; }
    public required string Field { get; init; }
    public required string Action { get; init; }
    public required IReadOnlyList<JsonObject> Conditions { get; init; }
}

/// <summary>Params that name one thing by its id: a template, a codex record, a task, a user catalog provider.</summary>
public sealed record IdParams
{
    public required string Id { get; init; }
}

public sealed record RefParams
{
    public required string Ref { get; init; }
}

/// <summary><c>templates/changed</c> params: the ids usable after the reload.</summary>
public sealed record TemplatesChangedParams
{
    public required IReadOnlyList<string> Ids { get; init; }
}
