using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>JSON pieces every wire format shares: tool arguments in and out, tool results as text, tool schemas.</summary>
internal static class ContentJson
{
    private static readonly JsonElement s_emptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    /// <summary>Writes tool call arguments as a JSON object (the values are JsonElements when they came from a provider).</summary>
    public static void WriteArguments(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        writer.WriteStartObject();
        if (arguments is not null)
        {
            foreach (var (name, value) in arguments)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Tool call arguments as the JSON text OpenAI expects in <c>function.arguments</c>.</summary>
    public static string ArgumentsText(IDictionary<string, object?>? arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteArguments(writer, arguments);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses assembled arguments; an empty text is an empty object. Throws JsonException on bad JSON (FunctionCallContent keeps it).</summary>
    public static IDictionary<string, object?> ParseArguments(string json) =>
        string.IsNullOrWhiteSpace(json) ? new Dictionary<string, object?>() : FromObject(JsonDocument.Parse(json).RootElement);

    public static IDictionary<string, object?> FromObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new JsonException($"tool arguments must be a JSON object, got {element.ValueKind}");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) result[property.Name] = property.Value.Clone();
        return result;
    }

    /// <summary>Builds the content for assembled argument text: parsed at the end, a parse failure kept on the content.</summary>
    public static FunctionCallContent Call(string callId, string name, string argumentsJson) =>
        FunctionCallContent.CreateFromParsedArguments(argumentsJson, callId, name, ParseArguments);

    /// <summary>A tool result as text: strings as they are, anything else as JSON.</summary>
    public static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception?.Message ?? "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
        TextContent t => t.Text,
        var other => Compact(other), // AIJsonUtilities' options indent; a writer of our own does not
    };

    private static string Compact(object value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteValue(writer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(writer); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            default: JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())); break;
        }
    }

    /// <summary>The declared functions among the options' tools (others, such as hosted tools, have no wire form here).</summary>
    public static IEnumerable<AIFunctionDeclaration> Functions(ChatOptions? options) =>
        options?.Tools?.OfType<AIFunctionDeclaration>() ?? [];

    public static JsonElement Schema(AIFunctionDeclaration function) =>
        function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : s_emptySchema;

    /// <summary>Text of a system message (or of a message whose only parts are text).</summary>
    public static string Text(ChatMessage message) => message.Text;

    public static T? Option<T>(ChatOptions? options, string key) =>
        options?.AdditionalProperties is { } props && props.TryGetValue(key, out T? value) ? value : default;
}
