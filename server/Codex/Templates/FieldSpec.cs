using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Codex.Templates;

/// <summary>One field of a template: its type, its rules, and how it is shown.</summary>
public sealed record FieldSpec
{
    public required string Name { get; init; }
    public required FieldType Type { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    /// <summary>An example shown in an empty box; never a value.</summary>
    public string? Placeholder { get; init; }
    public bool Required { get; init; }
    public JsonNode? Default { get; init; }
    public bool Locked { get; init; }
    public FieldCondition? Conditional { get; init; }

    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Step { get; init; }
    public int? MaxLength { get; init; }
    public string? Pattern { get; init; }
    public IReadOnlyList<SelectOption>? Options { get; init; }
    /// <summary>The spec every item of an array field satisfies.</summary>
    public FieldSpec? Items { get; init; }
    public int? MinItems { get; init; }
    public int? MaxItems { get; init; }
    public IReadOnlyList<string>? TemplateFilter { get; init; }
    /// <summary>The members of an object field, in order.</summary>
    public IReadOnlyList<FieldSpec>? Properties { get; init; }
    /// <summary>A datetime the sidecar fills with the time of writing when it is absent.</summary>
    public bool Auto { get; init; }
    /// <summary>What the field is for: a secret, a model id, or written by its feature only.</summary>
    public FieldRole? Role { get; init; }
}

public sealed record SelectOption(string Value, string Label);

/// <summary>
/// The field applies only while <see cref="Field"/> has <see cref="Value"/>, or, when the value is a list,
/// any one of its items.
/// </summary>
public sealed record FieldCondition(string Field, JsonNode? Value)
{
    /// <summary>Where the condition is written, as <c>file:line</c>, so a refusal can send the user to it.</summary>
    public string? WrittenAt { get; init; }

    /// <summary>What the condition asks, in words: <c>provider_type is "ollama"</c>.</summary>
    public string Describe() => Value is JsonArray any
        ? $"{Field} is one of {string.Join(", ", any.Select(v => v?.ToJsonString()))}"
        : $"{Field} is {Value?.ToJsonString() ?? "null"}";

    public bool Holds(JsonNode? actual) =>
        JsonNode.DeepEquals(actual, Value) || (Value is JsonArray any && any.Any(v => JsonNode.DeepEquals(v, actual)));
}
