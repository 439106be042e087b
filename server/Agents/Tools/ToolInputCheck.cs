using System.Text.Json;

namespace Plue.Agents.Tools;

/// <summary>
/// Checks a call's input against the basics of the tool's schema before anything runs: an object, with the
/// required members, each of the declared JSON type. Deeper rules are the tool's to check.
/// </summary>
public static class ToolInputCheck
{
    /// <summary>What is wrong, in one sentence for the model; null when the input passes.</summary>
    public static string? Problem(JsonElement schema, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object) return $"The input must be a JSON object, not {Describe(input.ValueKind)}.";
        var problems = new List<string>();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()).OfType<string>())
                if (!input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) problems.Add($"'{name}' is required");
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            foreach (var member in input.EnumerateObject())
                if (properties.TryGetProperty(member.Name, out var spec) && spec.TryGetProperty("type", out var type)
                    && type.ValueKind == JsonValueKind.String && !Fits(type.GetString()!, member.Value))
                    problems.Add($"'{member.Name}' must be {Article(type.GetString()!)}, not {Describe(member.Value.ValueKind)}");
        return problems.Count == 0 ? null : $"Invalid input: {string.Join("; ", problems)}.";
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        // null is allowed for optional members; unknown types are the tool's to judge.
        _ => true,
    } || value.ValueKind == JsonValueKind.Null;

    private static string Article(string type) => type is "integer" or "object" or "array" ? $"an {type}" : $"a {type}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
