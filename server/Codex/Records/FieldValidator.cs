using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Codex.Kinds;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Codex.Records;

/// <summary>
/// Turns the fields a client sent into the fields a record keeps: defaults applied, every rule of the template
/// checked. A field whose <c>conditional</c> does not hold is refused when the caller gave it (never dropped without
/// a word), whatever the record's kind: the template in use says where a field applies; a stored one the change made inapplicable is dropped,
/// as is a default that does not apply.
/// </summary>
public sealed class FieldValidator(Func<CodexReference, CodexRecord?> findRecord, Func<string, TemplateDefinition?> findTemplate)
{
    /// <param name="supplied">The fields the caller gave in this change; null: all of <paramref name="input"/>.</param>
    public (JsonObject Fields, IReadOnlyList<FieldError> Errors) Validate(TemplateDefinition template, JsonObject input,
        IReadOnlyCollection<string>? supplied = null)
    {
        var errors = new List<FieldError>();
        var output = new JsonObject();
        foreach (var (name, _) in input)
            if (template.Field(name) is null) errors.Add(new FieldError(name, $"is not a field of template '{template.Id}'"));

        // Defaults first, so conditionals can depend on a defaulted field.
        var merged = new JsonObject();
        foreach (var field in template.Fields)
        {
            var value = input.TryGetPropertyValue(field.Name, out var given) && given is not null ? given : field.Default;
            if (value is not null) merged[field.Name] = value.DeepClone();
        }

        foreach (var field in template.Fields)
        {
            if (field.Conditional is { } condition && !condition.Holds(merged[condition.Field]))
            {
                var gave = input[field.Name] is not null && (supplied?.Contains(field.Name) ?? true);
                if (gave) errors.Add(new FieldError(field.Name, NotApplied(condition, merged[condition.Field])));
                continue;
            }
            var value = Stamped(field, merged[field.Name]);
            if (FieldValueRules.IsEmpty(value))
            {
                if (field.Required) errors.Add(new FieldError(field.Name, "is required"));
                if (value is not null) output[field.Name] = value.DeepClone();
                continue;
            }
            var before = errors.Count;
            errors.AddRange(FieldValueRules.Check(field, value, field.Name).Select(m => new FieldError(field.Name, Strip(m, field.Name))));
            if (errors.Count == before) CheckLocked(field, value!, errors);
            if (errors.Count == before) CheckReferences(field, value!, errors);
            output[field.Name] = value!.DeepClone();
        }
        return (output, errors);
    }

    /// <summary>The value with every absent <c>auto</c> datetime in it (in objects and array items too) set to now.</summary>
    private static JsonNode? Stamped(FieldSpec field, JsonNode? value)
    {
        switch (field.Type)
        {
            case FieldType.Datetime when field.Auto && FieldValueRules.IsEmpty(value):
                return JsonValue.Create(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            case FieldType.Object when value is JsonObject obj:
                foreach (var property in field.Properties ?? [])
                    if (Stamped(property, obj[property.Name]) is { } stamped && !ReferenceEquals(stamped, obj[property.Name])) obj[property.Name] = stamped;
                return obj;
            case FieldType.Array when value is JsonArray array && field.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                    if (Stamped(items, array[i]) is { } stamped && !ReferenceEquals(stamped, array[i])) array[i] = stamped;
                return array;
            default:
                return value;
        }
    }

    private static void CheckLocked(FieldSpec field, JsonNode value, List<FieldError> errors)
    {
        if (!field.Locked || field.Default is null) return;
        if (field.Type == FieldType.Array && value is JsonArray items && field.Default is JsonArray allowed)
        {
            var widened = items.Where(i => !allowed.Any(a => JsonNode.DeepEquals(a, i))).Select(i => i?.ToJsonString()).ToList();
            if (widened.Count > 0) errors.Add(new FieldError(field.Name, $"is locked: it may narrow {allowed.ToJsonString()} but not add {string.Join(", ", widened)}"));
            return;
        }
        if (!JsonNode.DeepEquals(value, field.Default)) errors.Add(new FieldError(field.Name, $"is locked to {field.Default.ToJsonString()}"));
    }

    private void CheckReferences(FieldSpec field, JsonNode value, List<FieldError> errors)
    {
        var (spec, values) = field.Type == FieldType.Array && field.Items is { } items
            ? (items, value.AsArray().ToList())
            : (field, [value]);
        if (spec.Type != FieldType.CodexReference) return;
        foreach (var item in values)
        {
            // Prompts are files, read when used (the prompt library says when one is missing).
            if (item?.GetValueKind() != JsonValueKind.String || !CodexReference.TryParse(item.GetValue<string>(), out var reference, out _) || reference.IsPrompt) continue;
            var target = findRecord(reference);
            if (target is null)
            {
                errors.Add(new FieldError(field.Name, $"{reference} does not exist"));
                continue;
            }
            if (spec.TemplateFilter is not { Count: > 0 } filter) continue;
            var lineage = findTemplate(target.TemplateId)?.Lineage ?? [target.TemplateId];
            if (!lineage.Intersect(filter, StringComparer.Ordinal).Any())
                errors.Add(new FieldError(field.Name, $"{reference} is a '{target.TemplateId}', expected one of {string.Join(", ", filter)}"));
        }
    }

    private static string NotApplied(FieldCondition condition, JsonNode? actual) =>
        $"does not apply while {condition.Field} is {actual?.ToJsonString() ?? "empty"}: the template applies it only when {condition.Describe()}" +
        (condition.WrittenAt is { } at ? $" ({at})" : "") + $"; leave it out, or set {condition.Field} so that it applies";

    /// <summary>Rule messages start with the field's name; the error already carries it.</summary>
    private static string Strip(string message, string name) =>
        message.StartsWith(name, StringComparison.Ordinal) ? message[name.Length..].TrimStart() : message;
}
