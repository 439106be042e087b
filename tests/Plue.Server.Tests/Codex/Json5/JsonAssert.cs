using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Tests.Codex.Json5;

/// <summary>
/// Structural comparison against the reference encoding: key order ignored, numbers compared as
/// doubles bit for bit (so NaN equals NaN and -0 differs from 0), {"$num": ...} marks non-finite
/// numbers and -0, and keys starting with '$' carry one extra '$'.
/// </summary>
internal static class JsonAssert
{
    public static void Equivalent(JsonNode? expected, JsonNode? actual, string path = "")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{Where(path)}: expected null, got {Describe(actual)}");
                return;

            case JsonObject marker when marker.Count == 1 && marker["$num"] is JsonValue special:
                AssertNumber(
                    special.GetValue<string>() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        "-0" => -0.0,
                        var other => throw new InvalidOperationException($"unknown $num marker {other}"),
                    },
                    actual,
                    path);
                return;

            case JsonObject obj:
                var actualObj = Assert.IsType<JsonObject>(actual, exactMatch: false);
                Assert.True(obj.Count == actualObj.Count, $"{Where(path)}: expected {obj.Count} members, got {actualObj.Count}");
                foreach (var (encodedKey, member) in obj)
                {
                    string key = encodedKey.StartsWith('$') ? encodedKey[1..] : encodedKey;
                    Assert.True(actualObj.ContainsKey(key), $"{Where(path)}: missing key '{key}'");
                    Equivalent(member, actualObj[key], $"{path}/{key}");
                }
                return;

            case JsonArray array:
                var actualArray = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(array.Count == actualArray.Count, $"{Where(path)}: expected {array.Count} items, got {actualArray.Count}");
                for (int i = 0; i < array.Count; i++)
                    Equivalent(array[i], actualArray[i], $"{path}/{i}");
                return;

            default:
                var value = (JsonValue)expected;
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        Assert.True(
                            actual is JsonValue s && s.TryGetValue(out string? text) && text == value.GetValue<string>(),
                            $"{Where(path)}: expected string {value.ToJsonString()}, got {Describe(actual)}");
                        return;
                    case JsonValueKind.Number:
                        AssertNumber(value.GetValue<double>(), actual, path);
                        return;
                    default:
                        bool flag = value.GetValue<bool>();
                        Assert.True(
                            actual is JsonValue b && b.TryGetValue(out bool got) && got == flag,
                            $"{Where(path)}: expected {flag}, got {Describe(actual)}");
                        return;
                }
        }
    }

    public static void AssertNumber(double expected, JsonNode? actual, string path = "")
    {
        Assert.True(actual is JsonValue v && v.TryGetValue(out double _), $"{Where(path)}: expected a double, got {Describe(actual)}");
        double got = actual!.GetValue<double>();
        Assert.True(
            BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(got) || (double.IsNaN(expected) && double.IsNaN(got)),
            $"{Where(path)}: expected {expected:R}, got {got:R}");
    }

    private static string Where(string path) => path.Length == 0 ? "(root)" : path;

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out double d) => $"double {d:R}",
        _ => $"{node.GetType().Name} {node.ToJsonString()}",
    };
}
