using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Agents.Tools;

/// <summary>
/// The JSON schema of a tool's input object, built from its parameters: each tool lists what it takes, and the
/// object around them (type, properties, required) is written here once.
/// </summary>
public static class ToolSchema
{
    /// <summary>The <c>path</c> every file tool takes, told the same way to the model.</summary>
    public static ToolParameter FilePath { get; } =
        new("path", "string", "The file, relative to the first workspace folder or absolute inside a workspace folder.", Required: true);

    /// <summary>An object of <paramref name="parameters"/>, in their order; <paramref name="closed"/> forbids any other member.</summary>
    public static JsonElement Object(IReadOnlyList<ToolParameter> parameters, bool closed = false)
    {
        var properties = new JsonObject();
        foreach (var parameter in parameters) properties[parameter.Name] = parameter.ToSchema();
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. parameters.Where(p => p.Required).Select(p => (JsonNode)p.Name)]),
        };
        if (closed) schema["additionalProperties"] = false;
        using var document = JsonDocument.Parse(schema.ToJsonString());
        return document.RootElement.Clone();
    }
}
