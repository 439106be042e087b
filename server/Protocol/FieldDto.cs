using System.Text.Json.Nodes;

namespace Plue.Protocol;

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
