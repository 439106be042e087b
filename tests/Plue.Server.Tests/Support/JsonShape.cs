using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Tests.Support;

/// <summary>
/// Matches a JSON value against a golden fixture: placeholders "&lt;string&gt;", "&lt;number&gt;",
/// "&lt;boolean&gt;", "&lt;any&gt;" match a kind; objects need exactly the fixture's keys;
/// "&lt;...&gt;" as an array's last element matches any further elements (so long lists can show their first entries).
/// The same rules as tests/node/support/jsonShape.js.
/// </summary>
internal static class JsonShape
{
    /// <summary>Null when it matches, else where and why not.</summary>
    public static string? Mismatch(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is JsonValue ev && ev.GetValueKind() == JsonValueKind.String)
        {
            switch (ev.GetValue<string>())
            {
                case "<any>": return null;
                case "<string>": return Kind(actual) == JsonValueKind.String ? null : $"{path}: expected a string, got {Show(actual)}";
                case "<number>": return Kind(actual) == JsonValueKind.Number ? null : $"{path}: expected a number, got {Show(actual)}";
                case "<boolean>": return Kind(actual) is JsonValueKind.True or JsonValueKind.False ? null : $"{path}: expected a boolean, got {Show(actual)}";
            }
        }
        switch (expected)
        {
            case JsonObject eo:
                if (actual is not JsonObject ao) return $"{path}: expected an object, got {Show(actual)}";
                var extra = ao.Select(p => p.Key).Except(eo.Select(p => p.Key)).ToList();
                if (extra.Count > 0) return $"{path}: unexpected member(s) {string.Join(", ", extra)} (add them to the fixture)";
                foreach (var (key, value) in eo)
                {
                    if (!ao.ContainsKey(key)) return $"{path}.{key}: missing";
                    if (Mismatch(value, ao[key], $"{path}.{key}") is { } m) return m;
                }
                return null;
            case JsonArray ea:
                var open = ea.Count > 0 && ea[^1] is JsonValue last && last.GetValueKind() == JsonValueKind.String && last.GetValue<string>() == Rest;
                var fixedCount = open ? ea.Count - 1 : ea.Count;
                if (actual is not JsonArray aa || (open ? aa.Count < fixedCount : aa.Count != fixedCount))
                    return $"{path}: expected {ea.ToJsonString()}, got {Show(actual)}";
                for (var i = 0; i < fixedCount; i++)
                    if (Mismatch(ea[i], aa[i], $"{path}[{i}]") is { } m) return m;
                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }
    }

    private const string Rest = "<...>";

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
