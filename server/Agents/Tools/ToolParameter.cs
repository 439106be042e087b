using System.Text.Json.Nodes;

namespace Plue.Agents.Tools;

/// <summary>One member of a tool's input: its JSON type, what the model is told of it, and whether it must be given.</summary>
public sealed record ToolParameter(string Name, string Type, string Description, bool Required = false)
{
    /// <summary>For an array: the schema of one item.</summary>
    public JsonObject? Items { get; init; }

    /// <summary>For a string: the only values it may take.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    public JsonObject ToSchema()
    {
        var schema = new JsonObject { ["type"] = Type };
        if (Items is not null) schema["items"] = Items.DeepClone();
        if (Enum is not null) schema["enum"] = new JsonArray([.. Enum.Select(value => (JsonNode)value)]);
        schema["description"] = Description;
        return schema;
    }
}
