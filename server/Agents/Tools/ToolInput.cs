using System.Text.Json;

namespace Plue.Agents.Tools;

/// <summary>Reads the members of a call's input object; a wrong type is a <see cref="ToolException"/> naming the member.</summary>
public static class ToolInput
{
    public static string RequiredText(JsonElement input, string name) =>
        OptionalText(input, name) ?? throw new ToolException($"'{name}' is required.");

    public static string? OptionalText(JsonElement input, string name)
    {
        if (!TryGet(input, name, out var value)) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ToolException($"'{name}' must be a string.");
    }

    public static int? OptionalInt(JsonElement input, string name)
    {
        if (!TryGet(input, name, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new ToolException($"'{name}' must be a whole number.");
    }

    public static bool OptionalBool(JsonElement input, string name)
    {
        if (!TryGet(input, name, out var value)) return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ToolException($"'{name}' must be true or false."),
        };
    }

    private static bool TryGet(JsonElement input, string name, out JsonElement value)
    {
        value = default;
        return input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
